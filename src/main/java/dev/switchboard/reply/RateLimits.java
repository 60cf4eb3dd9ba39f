package dev.switchboard.reply;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.session.TokenBuckets;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Token buckets per user: one for all chat, plus a stricter one per live room (rooms named {@code live…}).
 * A refusal is the connection's strike, counted by its inbound budget in the session registry.
 */
@ApplicationScoped
public class RateLimits {

    @Inject
    SwitchboardConfig config;

    private double chatRate;
    private double chatBurst;
    private double liveRate;
    private double liveBurst;
    private final TokenBuckets buckets = new TokenBuckets();

    @PostConstruct
    void readSettings() {
        chatRate = config.positiveInt(Setting.RATE_CHAT_PER_SECOND);
        chatBurst = config.positiveInt(Setting.RATE_CHAT_BURST);
        liveRate = config.positiveInt(Setting.RATE_LIVE_PER_SECOND);
        liveBurst = config.positiveInt(Setting.RATE_LIVE_BURST);
    }

    /** A live room has the stricter limit: live comments are many and brief. */
    public static boolean isLive(String room) {
        return room != null && room.startsWith("live");
    }

    /**
     * Charges one frame to the user's chat bucket and, in a live room, to that room's stricter bucket
     * as well: the live limit narrows the user's limit, it never widens it.
     */
    public boolean take(String user, String room) {
        return buckets.tryTake(user, chatRate, chatBurst)
                && (!isLive(room) || buckets.tryTake(user + "\n" + room, liveRate, liveBurst));
    }
}

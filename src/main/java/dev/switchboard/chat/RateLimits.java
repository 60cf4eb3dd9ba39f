package dev.switchboard.chat;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.session.TokenBucket;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
    /** Bucket count above which idle buckets are swept before a new one is made. */
    static final int SWEEP_AT = 10_000;
    /** Long enough for any bucket to refill completely at the slowest configured rate. */
    private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

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
        long now = System.nanoTime();
        return bucket(user, chatRate, chatBurst, now).tryTake(now)
                && (!isLive(room) || bucket(user + "\n" + room, liveRate, liveBurst, now).tryTake(now));
    }

    private TokenBucket bucket(String key, double rate, double burst, long now) {
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= SWEEP_AT) {
                sweep(now);
            }
            bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(rate, burst, now));
        }
        return bucket;
    }

    /** Drops buckets idle long enough to have refilled: forgetting them gives nobody more than a full burst. */
    private void sweep(long now) {
        buckets.values().removeIf(b -> b.idleNanos(now) > IDLE_NANOS);
    }
}

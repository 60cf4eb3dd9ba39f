package dev.switchboard.chat;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per user: one for all chat, a stricter one per live room (rooms named {@code live…}).
 * Counts, per connection, refused frames in a row, so persistent flooding can be closed.
 */
@ApplicationScoped
public class RateLimits {

    @Inject
    SwitchboardConfig config;

    private double chatRate;
    private double chatBurst;
    private double liveRate;
    private double liveBurst;
    private int strikesAllowed;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Integer> strikes = new ConcurrentHashMap<>();

    @PostConstruct
    void readSettings() {
        chatRate = config.positiveInt(Setting.RATE_CHAT_PER_SECOND);
        chatBurst = config.positiveInt(Setting.RATE_CHAT_BURST);
        liveRate = config.positiveInt(Setting.RATE_LIVE_PER_SECOND);
        liveBurst = config.positiveInt(Setting.RATE_LIVE_BURST);
        strikesAllowed = config.positiveInt(Setting.RATE_STRIKES);
    }

    /** What a frame gets: through, refused, or refused once too often. */
    public enum Verdict { ALLOWED, LIMITED, FLOODING }

    /** A live room has the stricter limit: live comments are many and brief. */
    public static boolean isLive(String room) {
        return room != null && room.startsWith("live");
    }

    public Verdict take(String user, String room, String connectionId) {
        boolean live = isLive(room);
        String key = live ? user + "\n" + room : user;
        long now = System.nanoTime();
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(live ? liveBurst : chatBurst, now));
        if (bucket.tryTake(live ? liveRate : chatRate, live ? liveBurst : chatBurst, now)) {
            strikes.remove(connectionId);
            return Verdict.ALLOWED;
        }
        int count = strikes.merge(connectionId, 1, Integer::sum);
        return count > strikesAllowed ? Verdict.FLOODING : Verdict.LIMITED;
    }

    /** Forgets a connection's strikes and, once the user has no connection left, their buckets. */
    public void forget(String user, String connectionId, boolean userGone) {
        strikes.remove(connectionId);
        if (userGone) {
            buckets.keySet().removeIf(k -> k.equals(user) || k.startsWith(user + "\n"));
        }
    }

    /** A token bucket: refills at {@code rate} per second up to {@code burst}. */
    static final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(double burst, long nowNanos) {
            tokens = burst;
            lastNanos = nowNanos;
        }

        synchronized boolean tryTake(double rate, double burst, long nowNanos) {
            tokens = Math.min(burst, tokens + Math.max(0, nowNanos - lastNanos) / 1e9 * rate);
            lastNanos = Math.max(lastNanos, nowNanos);
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}

package dev.switchboard.chat;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Token buckets per user: one for all chat, plus a stricter one per live room (rooms named {@code live…}).
 * Counts, per connection, refused frames within ten seconds, so persistent flooding can be closed.
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
    /** Bucket count above which idle buckets are swept before a new one is made. */
    static final int SWEEP_AT = 10_000;
    /** Long enough for any bucket to refill completely at the slowest configured rate. */
    private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    /** Refused frames per connection within the current strike window. */
    private final Map<String, Strikes> strikes = new ConcurrentHashMap<>();
    /** Refused frames are counted over this window: a flooder cannot reset the count by spacing frames. */
    private static final long STRIKE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

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

    /**
     * Charges one frame to the user's chat bucket and, in a live room, to that room's stricter bucket
     * as well: the live limit narrows the user's limit, it never widens it.
     */
    public Verdict take(String user, String room, String connectionId) {
        long now = System.nanoTime();
        boolean allowed = bucket(user, chatBurst, now).tryTake(chatRate, chatBurst, now)
                && (!isLive(room) || bucket(user + "\n" + room, liveBurst, now).tryTake(liveRate, liveBurst, now));
        if (allowed) {
            return Verdict.ALLOWED;
        }
        int count = strikes.computeIfAbsent(connectionId, id -> new Strikes()).add(now);
        return count > strikesAllowed ? Verdict.FLOODING : Verdict.LIMITED;
    }

    private Bucket bucket(String key, double burst, long now) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= SWEEP_AT) {
                sweep(now);
            }
            bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        }
        return bucket;
    }

    /** Drops buckets idle long enough to have refilled: forgetting them gives nobody more than a full burst. */
    private void sweep(long now) {
        buckets.values().removeIf(b -> b.idleNanos(now) > IDLE_NANOS);
    }

    /**
     * Forgets a connection's strikes. The user's buckets stay (until idle), so reconnecting does not
     * hand a flooder a fresh burst.
     */
    public void forget(String connectionId) {
        strikes.remove(connectionId);
    }

    /** Refused frames of one connection in a window of {@link #STRIKE_WINDOW_NANOS}. */
    static final class Strikes {
        private long windowStart;
        private int count;

        synchronized int add(long nowNanos) {
            if (count == 0 || nowNanos - windowStart > STRIKE_WINDOW_NANOS) {
                windowStart = nowNanos;
                count = 0;
            }
            return ++count;
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

        synchronized long idleNanos(long nowNanos) {
            return nowNanos - lastNanos;
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

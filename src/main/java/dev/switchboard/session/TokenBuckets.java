package dev.switchboard.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Token buckets by key (a user, an address), made as keys first appear. Buckets idle long enough to
 * have refilled are swept out once there are many, so made-up keys cannot grow it for long: forgetting
 * a full bucket gives nobody more than a full burst.
 */
public final class TokenBuckets {

    /** Bucket count above which idle buckets are swept before a new one is made. */
    static final int SWEEP_AT = 10_000;
    /** Long enough for any bucket to refill completely at the slowest rate in use. */
    private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** Takes one token from the key's bucket (full at first: {@code burst}, refilling at {@code rate} a second). */
    public boolean tryTake(String key, double rate, double burst) {
        long now = System.nanoTime();
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= SWEEP_AT) {
                buckets.values().removeIf(b -> b.idleNanos(now) > IDLE_NANOS);
            }
            bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(rate, burst, now));
        }
        return bucket.tryTake(now);
    }

    int size() {
        return buckets.size();
    }
}

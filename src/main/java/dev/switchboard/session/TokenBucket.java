package dev.switchboard.session;

/** A token bucket: full at first, refills at {@code rate} tokens a second up to {@code burst}. */
public final class TokenBucket {

    private final double rate;
    private final double burst;
    private double tokens;
    private long lastNanos;

    public TokenBucket(double rate, double burst, long nowNanos) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Takes one token; false when none is left. */
    public synchronized boolean tryTake(long nowNanos) {
        tokens = Math.min(burst, tokens + Math.max(0, nowNanos - lastNanos) / 1e9 * rate);
        lastNanos = Math.max(lastNanos, nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** How long since a token was last asked for: a bucket idle for burst ÷ rate seconds is full again. */
    public synchronized long idleNanos(long nowNanos) {
        return nowNanos - lastNanos;
    }
}

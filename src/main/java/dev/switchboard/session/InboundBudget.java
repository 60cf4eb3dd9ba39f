package dev.switchboard.session;

import java.util.concurrent.TimeUnit;

/**
 * What one connection may send: every inbound frame, of any kind, takes a token from a bucket that
 * refills at a steady rate; every refused frame (over the budget, or answered with an error) is a
 * strike, and more strikes than allowed within {@link #STRIKE_WINDOW_NANOS} mean the client is flooding.
 */
final class InboundBudget {

    /** Strikes are counted over this window: a flooder cannot reset the count by spacing frames. */
    static final long STRIKE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final TokenBucket frames;
    private final int strikesAllowed;
    private long strikeWindowStart;
    private int strikes;

    InboundBudget(Limits limits, long nowNanos) {
        this.frames = new TokenBucket(limits.perSecond(), limits.burst(), nowNanos);
        this.strikesAllowed = limits.strikesAllowed();
    }

    /** The same limits for every connection, from the settings. */
    record Limits(double perSecond, double burst, int strikesAllowed) {
    }

    /** Takes one frame's token; false when the budget is spent. */
    boolean take(long nowNanos) {
        return frames.tryTake(nowNanos);
    }

    /** Counts a refused frame; true once the strikes within the window are more than allowed. */
    synchronized boolean strike(long nowNanos) {
        if (strikes == 0 || nowNanos - strikeWindowStart > STRIKE_WINDOW_NANOS) {
            strikeWindowStart = nowNanos;
            strikes = 0;
        }
        return ++strikes > strikesAllowed;
    }
}

package dev.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void aBucketAllowsItsBurstThenRefillsAtItsRate() {
        TokenBucket bucket = new TokenBucket(2, 3, 0);
        long t = 0;
        assertTrue(bucket.tryTake(t));
        assertTrue(bucket.tryTake(t));
        assertTrue(bucket.tryTake(t));
        assertFalse(bucket.tryTake(t), "burst spent");
        assertTrue(bucket.tryTake(t + TimeUnit.MILLISECONDS.toNanos(500)), "one token back after half a second at 2/s");
        assertFalse(bucket.tryTake(t + TimeUnit.MILLISECONDS.toNanos(600)));
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.tryTake(t + TimeUnit.SECONDS.toNanos(100)), "refills up to the burst only");
        }
        assertFalse(bucket.tryTake(t + TimeUnit.SECONDS.toNanos(100)));
    }

    @Test
    void refusedFramesWithinTheWindowTurnIntoFloodingAndAQuietWindowForgetsThem() {
        InboundBudget budget = new InboundBudget(new InboundBudget.Limits(1, 1, 3), 0);
        long t = TimeUnit.SECONDS.toNanos(1);
        assertTrue(budget.take(t));
        assertFalse(budget.take(t), "a burst of one");
        assertFalse(budget.strike(t));
        assertFalse(budget.strike(t));
        assertFalse(budget.strike(t), "three strikes allowed");
        assertTrue(budget.strike(t), "the fourth within ten seconds is flooding");
        long later = t + InboundBudget.STRIKE_WINDOW_NANOS + 1;
        assertFalse(budget.strike(later), "a new window starts counting afresh");
    }
}

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
}

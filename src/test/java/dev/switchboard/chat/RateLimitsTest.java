package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.chat.RateLimits.Verdict;
import dev.switchboard.config.SwitchboardConfig;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

    private RateLimits limits(int strikes) {
        RateLimits limits = new RateLimits();
        limits.config = SwitchboardConfig.of(Map.of(
                "switchboard.rate.chat.per-second", "10", "switchboard.rate.chat.burst", "5",
                "switchboard.rate.live.per-second", "1", "switchboard.rate.live.burst", "2",
                "switchboard.rate.strikes", String.valueOf(strikes)));
        limits.readSettings();
        return limits;
    }

    @Test
    void aBucketAllowsItsBurstThenRefillsAtItsRate() {
        RateLimits.Bucket bucket = new RateLimits.Bucket(3, 0);
        long t = 0;
        assertTrue(bucket.tryTake(2, 3, t));
        assertTrue(bucket.tryTake(2, 3, t));
        assertTrue(bucket.tryTake(2, 3, t));
        assertFalse(bucket.tryTake(2, 3, t), "burst spent");
        assertTrue(bucket.tryTake(2, 3, t + TimeUnit.MILLISECONDS.toNanos(500)), "one token back after half a second at 2/s");
        assertFalse(bucket.tryTake(2, 3, t + TimeUnit.MILLISECONDS.toNanos(600)));
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.tryTake(2, 3, t + TimeUnit.SECONDS.toNanos(100)), "refills up to the burst only");
        }
        assertFalse(bucket.tryTake(2, 3, t + TimeUnit.SECONDS.toNanos(100)));
    }

    @Test
    void usersHaveTheirOwnBucketsAndLiveRoomsAStricterOne() {
        RateLimits limits = limits(100);
        for (int i = 0; i < 5; i++) {
            assertEquals(Verdict.ALLOWED, limits.take("alice", "lobby", "a1"));
        }
        assertEquals(Verdict.LIMITED, limits.take("alice", "lobby", "a1"));
        assertEquals(Verdict.ALLOWED, limits.take("bob", "lobby", "b1"), "bob is not held back by alice");
        assertEquals(Verdict.ALLOWED, limits.take("carol", "live-1", "c1"));
        assertEquals(Verdict.ALLOWED, limits.take("carol", "live-1", "c1"));
        assertEquals(Verdict.LIMITED, limits.take("carol", "live-1", "c1"), "the live burst is 2");
        assertEquals(Verdict.ALLOWED, limits.take("carol", "live-2", "c1"), "each live room has its own bucket");
        assertEquals(Verdict.ALLOWED, limits.take("carol", "live-3", "c1"));
        assertEquals(Verdict.LIMITED, limits.take("carol", "live-4", "c1"),
                "live rooms also draw on the user's own bucket (burst 5): many rooms do not add up to more");
    }

    @Test
    void refusedFramesWithinTheWindowTurnIntoFlooding() {
        RateLimits limits = limits(3);
        for (int i = 0; i < 5; i++) {
            limits.take("eve", "lobby", "e1");
        }
        assertEquals(Verdict.LIMITED, limits.take("eve", "lobby", "e1"));
        assertEquals(Verdict.LIMITED, limits.take("eve", "lobby", "e1"));
        assertEquals(Verdict.LIMITED, limits.take("eve", "lobby", "e1"));
        assertEquals(Verdict.FLOODING, limits.take("eve", "lobby", "e1"));
    }
}

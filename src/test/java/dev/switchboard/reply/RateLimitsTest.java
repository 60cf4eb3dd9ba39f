package dev.switchboard.reply;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

    private RateLimits limits() {
        RateLimits limits = new RateLimits();
        limits.config = SwitchboardConfig.of(Map.of(
                "switchboard.rate.chat.per-second", "10", "switchboard.rate.chat.burst", "5",
                "switchboard.rate.live.per-second", "1", "switchboard.rate.live.burst", "2"));
        limits.readSettings();
        return limits;
    }

    @Test
    void usersHaveTheirOwnBucketsAndLiveRoomsAStricterOne() {
        RateLimits limits = limits();
        for (int i = 0; i < 5; i++) {
            assertTrue(limits.take("alice", "lobby"));
        }
        assertFalse(limits.take("alice", "lobby"));
        assertTrue(limits.take("bob", "lobby"), "bob is not held back by alice");
        assertTrue(limits.take("carol", "live-1"));
        assertTrue(limits.take("carol", "live-1"));
        assertFalse(limits.take("carol", "live-1"), "the live burst is 2");
        assertTrue(limits.take("carol", "live-2"), "each live room has its own bucket");
        assertTrue(limits.take("carol", "live-3"));
        assertFalse(limits.take("carol", "live-4"),
                "live rooms also draw on the user's own bucket (burst 5): many rooms do not add up to more");
    }
}

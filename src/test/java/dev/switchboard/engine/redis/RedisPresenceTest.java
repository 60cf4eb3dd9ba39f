package dev.switchboard.engine.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Presence;
import dev.switchboard.engine.PresenceContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis engine keeps the presence contract every engine keeps, against a real redis-server. */
class RedisPresenceTest extends PresenceContract {

    @RegisterExtension
    static final RunningRedis REDIS = new RunningRedis();

    @Override
    protected Presence presence() {
        return REDIS.engine().presence();
    }

    @Test
    void aNodeThatStopsRenewingLeavesPresenceWithinItsLeaseAndTheSweepSaysWhoLeft() throws Exception {
        SwitchboardConfig shortLease = SwitchboardConfig.of(Map.of("switchboard.presence.lease", "500ms"));
        String room = "lease-" + System.nanoTime();
        RedisEngine dying = RedisEngine.connect(REDIS.url(), shortLease, "dying-" + room);
        RedisEngine living = RedisEngine.connect(REDIS.url(), shortLease, "living-" + room);
        try {
            dying.presence().enter(room, "ghost", "dying-c1");
            dying.presence().enter(room, "both", "dying-c2");
            living.presence().enter(room, "both", "living-c3");
            living.presence().enter(room, "alive", "living-c4");
            assertEquals(List.of(), living.presence().sweep(), "within the lease nobody is swept");
            assertEquals(3, living.presence().count(room));

            // The dying node stops renewing (as if killed); the living one renews and sweeps.
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
                living.presence().renew();
                List<Presence.Left> left = living.presence().sweep();
                if (left.isEmpty()) {
                    return false;
                }
                assertEquals(List.of(new Presence.Left(room, "ghost")), left,
                        "only the user whose every connection was on the dead node left");
                return true;
            });
            assertEquals(List.of("alive", "both"), living.presence().members(room));
            assertEquals(List.of(), living.presence().sweep(), "swept once");
            assertFalse(living.presence().exit(room, "both", "dying-c2"), "the dead node's connection is gone already");
        } finally {
            dying.close();
            living.close();
        }
    }

    @Test
    void seatsAreCountedAcrossNodesAndADeadNodesSeatsComeBack() throws Exception {
        SwitchboardConfig shortLease = SwitchboardConfig.of(Map.of("switchboard.presence.lease", "500ms"));
        String user = "seated-" + System.nanoTime();
        RedisEngine one = RedisEngine.connect(REDIS.url(), shortLease, "one-" + user);
        RedisEngine two = RedisEngine.connect(REDIS.url(), shortLease, "two-" + user);
        try {
            assertTrue(one.places().take(user, "s1", 2));
            assertTrue(two.places().take(user, "s2", 2));
            assertFalse(two.places().take(user, "s3", 2), "two seats in all, whichever node takes them");
            assertTrue(one.places().take(user, "s1", 2), "taking a seat held already is no new seat");
            one.places().giveBack(user, "s1");
            assertTrue(two.places().take(user, "s3", 2), "a seat given back on one node is free on the other");
            assertFalse(one.places().take(user, "s4", 2));

            // Node two dies (stops renewing): its seats come back with the sweep.
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
                one.presence().renew();
                one.presence().sweep();
                return one.places().take(user, "s4", 2);
            });
            assertTrue(one.places().take(user, "s5", 2), "both of node two's seats came back");
        } finally {
            one.close();
            two.close();
        }
    }
}

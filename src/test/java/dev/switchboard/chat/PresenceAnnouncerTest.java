package dev.switchboard.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Entry;
import dev.switchboard.engine.memory.InMemoryLogs;
import dev.switchboard.engine.memory.InMemoryPresence;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PresenceAnnouncerTest {

    /** What was published, topic and text. */
    private final List<String> published = new CopyOnWriteArrayList<>();
    /** How many of the next counts of a room's members fail, as while the store is away. */
    private final AtomicInteger countsFailing = new AtomicInteger();
    private final InMemoryPresence presence = new InMemoryPresence() {
        @Override
        public int count(String room) {
            if (countsFailing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new EngineUnavailable("the store is away (test)", null);
            }
            return super.count(room);
        }
    };
    private final ServerExecutors executors = new ServerExecutors();
    private final PresenceAnnouncer announcer = announcer("live*, stage");

    private PresenceAnnouncer announcer(String quietRooms) {
        // An hour: the test flushes by hand, the scheduled flush never comes while it runs.
        return announcer(quietRooms, "1h");
    }

    private PresenceAnnouncer announcer(String quietRooms, String interval) {
        PresenceAnnouncer a = new PresenceAnnouncer();
        a.config = SwitchboardConfig.of(Map.of("switchboard.presence.interval", interval,
                "switchboard.presence.quiet-rooms", quietRooms, "switchboard.presence.list-max", "3"));
        a.presence = presence;
        a.executors = executors;
        a.namespaces = new Namespaces();
        a.namespaces.config = a.config;
        a.namespaces.readSettings();
        // The in-memory bus, listened to by a recorder, as if this node had members in every room used.
        InMemoryLogs bus = InMemoryLogs.create(a.config, Clock.systemUTC());
        bus.listen(new Bus.Listener() {
            @Override
            public Runnable entry(Entry entry) {
                return () -> { };
            }

            @Override
            public void signal(String topic, String text, String exceptConnectionId) {
                published.add(topic + " " + text);
            }

            @Override
            public void reconnected() {
            }
        });
        for (String room : List.of("r", "live-main", "stage", "big")) {
            bus.interested(Rooms.logOf(room));
        }
        a.bus = bus;
        a.readSettings();
        return a;
    }

    @AfterEach
    void stopScheduler() {
        executors.shutdownOwnExecutors(); // outside a server: Switchboard's own timer and work pool
    }

    @Test
    void changesWithinOneIntervalComeAsOneFrameWithTheRoomsCount() {
        presence.enter("r", "ann", "c1");
        announcer.joined("r", "ann");
        presence.enter("r", "bob", "c2");
        announcer.joined("r", "bob");
        presence.enter("r", "cy", "c3");
        announcer.joined("r", "cy");
        presence.exit("r", "cy", "c3");
        announcer.left("r", "cy");
        announcer.flush("r");
        assertEquals(List.of("room:r {\"type\":\"presence\",\"room\":\"r\",\"count\":2,\"joins\":[\"ann\",\"bob\"],\"leaves\":[]}"),
                published, "cy came and went within the interval: no news");
        announcer.flush("r");
        assertEquals(1, published.size(), "nothing more to announce");
    }

    @Test
    void joinersComeWithTheInfoTheSitesBackEndGaveOfThemAndLeaversWithout() {
        presence.enter("r", "ann", "c1");
        announcer.joined("r", "ann", jakarta.json.Json.createObjectBuilder().add("name", "Ann A").build());
        presence.enter("r", "bob", "c2");
        announcer.joined("r", "bob");
        presence.enter("r", "cy", "c3");
        announcer.joined("r", "cy", jakarta.json.Json.createObjectBuilder().add("name", "Cy C").build());
        presence.exit("r", "cy", "c3");
        announcer.left("r", "cy");
        announcer.flush("r");
        assertEquals(List.of("room:r {\"type\":\"presence\",\"room\":\"r\",\"count\":2,\"joins\":[\"ann\",\"bob\"],\"leaves\":[],"
                + "\"info\":{\"ann\":{\"name\":\"Ann A\"}}}"), published, "info only for joiners that have some");
    }

    @Test
    void aReconnectWithinTheIntervalIsNoNews() {
        announcer.left("r", "ann");
        announcer.joined("r", "ann");
        announcer.flush("r");
        assertTrue(published.isEmpty(), published.toString());
    }

    @Test
    void quietRoomsByNameOrPrefixAnnounceNothing() {
        assertFalse(announcer.announces("live-main"));
        assertFalse(announcer.announces("stage"));
        assertTrue(announcer.announces("stage-left"), "only names ending in * are prefixes");
        assertTrue(announcer.announces("lobby"));
        announcer.joined("live-main", "ann");
        announcer.joined("stage", "ann");
        announcer.flush("live-main");
        announcer.flush("stage");
        assertTrue(published.isEmpty(), published.toString());
    }

    @Test
    void noRoomIsQuietWhenTheSettingSaysNone() {
        assertTrue(announcer("none").announces("live-main"));
    }

    @Test
    void aRoomTooBigToListByNameIsToldOnlyItsCount() {
        for (String user : List.of("ann", "bob", "cy", "dee")) {
            presence.enter("big", user, user + "-c");
            announcer.joined("big", user);
        }
        announcer.flush("big");
        assertEquals(List.of("room:big {\"type\":\"presence\",\"room\":\"big\",\"count\":4}"), published,
                "four members, three listed at most: no names");
    }

    @Test
    void aJoinWhileTheStoreCannotCountTheRoomIsStillAnnouncedAfterTheInterval() {
        PresenceAnnouncer announcing = announcer("none", "100ms");
        presence.enter("r", "ann", "c1");
        countsFailing.set(1); // how long to wait depends on the room's size, which cannot be read now
        announcing.joined("r", "ann");
        await("the announcement, after the usual interval").atMost(Duration.ofSeconds(5)).until(() -> !published.isEmpty());
        assertEquals(List.of("room:r {\"type\":\"presence\",\"room\":\"r\",\"count\":1,\"joins\":[\"ann\"],\"leaves\":[]}"),
                published);
    }
}

package dev.switchboard.engine.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.ChatMessage;
import dev.switchboard.engine.RoomHistory.Replay;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryRoomHistoryTest {

    private final Instant start = Instant.parse("2026-11-21T12:00:00Z");

    private InMemoryPresence presence = InMemoryPresence.forTests();

    private InMemoryRoomHistory history(int size, String ttl) {
        return history(Map.of("switchboard.history.size", String.valueOf(size), "switchboard.history.ttl", ttl));
    }

    private InMemoryRoomHistory history(Map<String, String> settings) {
        InMemoryRoomHistory history = new InMemoryRoomHistory();
        history.config = SwitchboardConfig.of(settings);
        presence = InMemoryPresence.forTests(history);
        history.clock = Clock.fixed(start, ZoneOffset.UTC);
        history.readSettings();
        return history;
    }

    private static String texts(Replay replay) {
        return String.join(",", replay.messages().stream().map(ChatMessage::text).toList());
    }

    @Test
    void offsetsIncreasePerRoom() {
        InMemoryRoomHistory history = history(10, "1h");
        assertEquals(1, history.append("a", "1", "u", "x", start.toEpochMilli()).offset());
        assertEquals(2, history.append("a", "2", "u", "y", start.toEpochMilli()).offset());
        assertEquals(1, history.append("b", "3", "u", "z", start.toEpochMilli()).offset());
    }

    @Test
    void joinWithoutSinceGetsTheKeptHistoryNotMarkedRecovered() {
        InMemoryRoomHistory history = history(3, "1h");
        for (int i = 1; i <= 5; i++) {
            history.append("r", "id" + i, "u", "m" + i, start.toEpochMilli());
        }
        Replay replay = history.replay("r", null, null);
        assertEquals("m3,m4,m5", texts(replay), "only the last three are kept");
        assertFalse(replay.recovered());
        assertEquals(5, replay.lastOffset());
    }

    @Test
    void sinceWithinTheHistoryRecoversExactlyTheMissedMessages() {
        InMemoryRoomHistory history = history(3, "1h");
        for (int i = 1; i <= 5; i++) {
            history.append("r", "id" + i, "u", "m" + i, start.toEpochMilli());
        }
        assertEquals("m4,m5", texts(history.replay("r", 3L, null)));
        assertTrue(history.replay("r", 3L, null).recovered());
        assertEquals("m3,m4,m5", texts(history.replay("r", 2L, null)), "the oldest kept message is the first missed");
        assertTrue(history.replay("r", 2L, null).recovered());
        assertEquals("", texts(history.replay("r", 5L, null)), "up to date: nothing missed");
        assertTrue(history.replay("r", 5L, null).recovered());
    }

    @Test
    void aGapOlderThanTheHistoryOrAnOffsetFromTheFutureIsNotRecovered() {
        InMemoryRoomHistory history = history(3, "1h");
        for (int i = 1; i <= 5; i++) {
            history.append("r", "id" + i, "u", "m" + i, start.toEpochMilli());
        }
        Replay gap = history.replay("r", 1L, null);
        assertFalse(gap.recovered());
        assertEquals("m3,m4,m5", texts(gap), "the client reloads what is left");
        assertFalse(history.replay("r", 9L, null).recovered(), "an offset this room never had (a restarted server)");
        assertFalse(history.replay("never-used", 4L, null).recovered());
        assertTrue(history.replay("never-used", 0L, null).recovered());
    }

    @Test
    void anOffsetFromAnotherEpochIsNotRecovered() {
        InMemoryRoomHistory history = history(10, "1h");
        history.append("r", "1", "u", "m1", start.toEpochMilli());
        String epoch = history.replay("r", null, null).epoch();
        assertTrue(history.replay("r", 0L, epoch).recovered());
        assertFalse(history.replay("r", 0L, "an-older-run").recovered(), "offsets of a previous run mean nothing now");
    }

    @Test
    void messagesOlderThanTheRetentionTimeAreDropped() {
        InMemoryRoomHistory history = history(10, "1h");
        history.append("r", "old", "u", "old", start.minus(Duration.ofHours(2)).toEpochMilli());
        history.append("r", "new", "u", "new", start.toEpochMilli());
        assertEquals("new", texts(history.replay("r", null, null)));
        assertFalse(history.replay("r", 0L, null).recovered(), "the expired message was missed for good");
        assertTrue(history.replay("r", 1L, null).recovered());
    }

    @Test
    void aHundredThousandMadeUpRoomsKeepNoMoreThanTheBound() {
        InMemoryRoomHistory history = history(Map.of("switchboard.history.max-rooms", "1000"));
        for (int i = 0; i < 100_000; i++) {
            history.replay("made-up-" + i, null, null); // a join
            history.append("made-up-" + i, "id" + i, "mallory", "x".repeat(100), start.toEpochMilli());
        }
        assertEquals(1000, history.roomCount());
        assertEquals(1000 * InMemoryRoomHistory.weight(new ChatMessage("i", "r", 1, "m", null, "x".repeat(100), 0)),
                history.bytes(), "only the kept rooms' messages are counted");
        assertEquals(1, history.replay("made-up-99999", null, null).messages().size(), "the newest rooms keep theirs");
        Replay dropped = history.replay("made-up-0", 1L, null);
        assertFalse(dropped.recovered(), "the eldest room's history is gone, and a rejoin is told so");
        assertEquals(0, dropped.lastOffset(), "its offsets start anew, under a new epoch");
    }

    @Test
    void aRoomSomebodyIsInIsNeverDroppedAndBytesTrimItsOldestMessagesInstead() {
        long weight = InMemoryRoomHistory.weight(new ChatMessage("i", "r", 1, "m", null, "x".repeat(1000), 0));
        InMemoryRoomHistory history = history(Map.of("switchboard.history.max-rooms", "2",
                "switchboard.history.max-bytes", String.valueOf(5 * weight)));
        presence.enter("busy", "alice", "c1");
        for (int i = 1; i <= 4; i++) {
            history.append("busy", "b" + i, "alice", "x".repeat(1000), start.toEpochMilli());
        }
        history.append("idle", "i1", "bob", "x".repeat(1000), start.toEpochMilli());
        history.append("newer", "n1", "bob", "x".repeat(1000), start.toEpochMilli());
        assertTrue(history.bytes() <= 5 * weight, "within the byte bound: " + history.bytes());
        assertEquals(4, history.replay("busy", 0L, null).lastOffset(), "the busy room keeps its offsets");
        assertEquals(0, history.replay("idle", null, null).lastOffset(), "the idle room was dropped for the newer one");

        history.append("busy", "b5", "alice", "x".repeat(1000), start.toEpochMilli());
        history.append("busy", "b6", "alice", "x".repeat(1000), start.toEpochMilli());
        assertTrue(history.bytes() <= 5 * weight, "still within the byte bound: " + history.bytes());
        assertEquals(6, history.replay("busy", null, null).lastOffset(), "offsets go on in the room in use");
    }

    @Test
    void roomsInUseAheadOfTheIdleOnesDoNotStopTheBound() {
        InMemoryRoomHistory history = history(Map.of("switchboard.history.max-rooms", "100"));
        for (int i = 0; i < 1000; i++) {
            presence.enter("occupied-" + i, "holder", "c" + i);
            history.replay("occupied-" + i, null, null);
        }
        for (int i = 0; i < 50_000; i++) {
            presence.enter("passing-" + i, "mallory", "m");
            history.replay("passing-" + i, null, null);
            history.append("passing-" + i, "id" + i, "mallory", "hi", start.toEpochMilli());
            presence.exit("passing-" + i, "mallory", "m");
        }
        assertTrue(history.roomCount() <= 1000 + 100 + 1, "rooms in use, plus the bound: " + history.roomCount());
        assertEquals(0, history.replay("occupied-0", null, null).lastOffset(), "an occupied room is still there");
    }

    @Test
    void roomsAreDroppedInTheOrderTheyWereLeftWhileAppendsGoOnConcurrently() throws Exception {
        InMemoryRoomHistory history = history(Map.of("switchboard.history.max-rooms", "50"));
        presence.enter("steady", "alice", "a");
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= 20_000; i++) {
                history.append("steady", "s" + i, "alice", "x", start.toEpochMilli());
            }
        });
        writer.start();
        for (int i = 0; i < 20_000; i++) {
            presence.enter("churn-" + i, "bob", "b");
            history.replay("churn-" + i, null, null);
            presence.exit("churn-" + i, "bob", "b");
        }
        writer.join();
        assertEquals(20_000, history.replay("steady", null, null).lastOffset(), "no append to the room in use was lost");
        assertTrue(history.roomCount() <= 51, "rooms: " + history.roomCount());
    }
}

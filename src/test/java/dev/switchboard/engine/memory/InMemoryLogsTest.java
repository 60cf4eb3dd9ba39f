package dev.switchboard.engine.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import dev.switchboard.engine.LogsContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The in-memory engine's logs: the contract every engine keeps, and this engine's own bounds. */
class InMemoryLogsTest extends LogsContract {

    private final Instant start = Instant.parse("2026-11-21T12:00:00Z");
    private final InMemoryLogs contracted = logs(Map.of());

    @Override
    protected Logs logs() {
        return contracted;
    }

    @Override
    protected Bus bus() {
        return contracted;
    }

    private InMemoryLogs logs(Map<String, String> settings) {
        return InMemoryLogs.create(SwitchboardConfig.of(settings), Clock.fixed(start, ZoneOffset.UTC));
    }

    /** As a room's history by default: 100 entries for a day. */
    private static final Logs.Retention ROOM = new Logs.Retention(100, Duration.ofDays(1), false);
    /** As a user's whispers: kept while nobody listens. */
    private static final Logs.Retention WHISPERS = new Logs.Retention(100, Duration.ofDays(1), true);

    private static Entry append(InMemoryLogs logs, String log, String body) throws Exception {
        return await(logs.append(log, body, ROOM));
    }

    private static Logs.Replay read(InMemoryLogs logs, String log, Long since) throws Exception {
        return await(logs.read(log, since, null));
    }

    private static String body(int length) {
        return "{\"x\":\"" + "x".repeat(length) + "\"}";
    }

    @Test
    void entriesOlderThanTheRetentionTimeAreDropped() throws Exception {
        InMemoryLogs logs = logs(Map.of());
        Logs.Retention hour = new Logs.Retention(100, Duration.ofHours(1), false);
        logs.clock = Clock.fixed(start.minus(Duration.ofHours(2)), ZoneOffset.UTC);
        await(logs.append("r", "{\"old\":1}", hour));
        logs.clock = Clock.fixed(start, ZoneOffset.UTC);
        await(logs.append("r", "{\"new\":1}", hour));
        assertEquals(1, read(logs, "r", null).entries().size());
        assertEquals("{\"new\":1}", read(logs, "r", null).entries().get(0).body());
        assertFalse(read(logs, "r", 0L).recovered(), "the expired entry was missed for good");
        assertTrue(read(logs, "r", 1L).recovered());
    }

    @Test
    void aHundredThousandMadeUpRoomsKeepNoMoreThanTheBound() throws Exception {
        InMemoryLogs history = logs(Map.of("switchboard.history.max-rooms", "1000"));
        for (int i = 0; i < 100_000; i++) {
            read(history, "made-up-" + i, null); // a join
            append(history, "made-up-" + i, body(100));
        }
        assertEquals(1000, history.logCount());
        assertEquals(1000 * InMemoryLogs.weight(new Entry("r", 1, "e", body(100))),
                history.bytes(), "only the kept rooms' messages are counted");
        assertEquals(1, read(history, "made-up-99999", null).entries().size(), "the newest rooms keep theirs");
        Logs.Replay dropped = read(history, "made-up-0", 1L);
        assertFalse(dropped.recovered(), "the eldest room's history is gone, and a rejoin is told so");
        assertEquals(0, dropped.lastOffset(), "its offsets start anew, under a new epoch");
    }

    @Test
    void aRoomSomebodyIsInIsNeverDroppedAndBytesTrimItsOldestMessagesInstead() throws Exception {
        long weight = InMemoryLogs.weight(new Entry("r", 1, "e", body(1000)));
        InMemoryLogs history = logs(Map.of("switchboard.history.max-rooms", "2",
                "switchboard.history.max-bytes", String.valueOf(5 * weight)));
        history.interested("busy");
        for (int i = 1; i <= 4; i++) {
            append(history, "busy", body(1000));
        }
        append(history, "idle", body(1000));
        append(history, "newer", body(1000));
        assertTrue(history.bytes() <= 5 * weight, "within the byte bound: " + history.bytes());
        assertEquals(4, read(history, "busy", 0L).lastOffset(), "the busy room keeps its offsets");
        assertEquals(0, read(history, "idle", null).lastOffset(), "the idle room was dropped for the newer one");

        append(history, "busy", body(1000));
        append(history, "busy", body(1000));
        assertTrue(history.bytes() <= 5 * weight, "still within the byte bound: " + history.bytes());
        assertEquals(6, read(history, "busy", null).lastOffset(), "offsets go on in the room in use");
    }

    @Test
    void roomsInUseAheadOfTheIdleOnesDoNotStopTheBound() throws Exception {
        InMemoryLogs history = logs(Map.of("switchboard.history.max-rooms", "100"));
        for (int i = 0; i < 1000; i++) {
            history.interested("occupied-" + i);
            read(history, "occupied-" + i, null);
        }
        for (int i = 0; i < 50_000; i++) {
            history.interested("passing-" + i);
            read(history, "passing-" + i, null);
            append(history, "passing-" + i, "{}");
            history.uninterested("passing-" + i);
        }
        assertTrue(history.logCount() <= 1000 + 100 + 1, "rooms in use, plus the bound: " + history.logCount());
        assertEquals(0, read(history, "occupied-0", null).lastOffset(), "an occupied room is still there");
    }

    @Test
    void roomsAreDroppedInTheOrderTheyWereLeftWhileAppendsGoOnConcurrently() throws Exception {
        InMemoryLogs history = logs(Map.of("switchboard.history.max-rooms", "50"));
        history.interested("steady");
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= 20_000; i++) {
                history.append("steady", "{}", ROOM); // completes at once in memory
            }
        });
        writer.start();
        for (int i = 0; i < 20_000; i++) {
            history.interested("churn-" + i);
            read(history, "churn-" + i, null);
            history.uninterested("churn-" + i);
        }
        writer.join();
        assertEquals(20_000, read(history, "steady", null).lastOffset(), "no append to the room in use was lost");
        assertTrue(history.logCount() <= 51, "rooms: " + history.logCount());
    }

    @Test
    void logsKeptWhileIdleAreNeverDroppedAndTheirTotalIsBounded() throws Exception {
        InMemoryLogs logs = logs(Map.of("switchboard.history.max-rooms", "2", "switchboard.inbox.max-total", "3"));
        await(logs.append("user:away", "{\"n\":1}", WHISPERS));
        await(logs.append("user:away", "{\"n\":2}", WHISPERS));
        for (int i = 0; i < 10; i++) {
            append(logs, "room-" + i, "{}"); // rooms come and go: the whispers stay
        }
        assertEquals(2, read(logs, "user:away", 0L).entries().size(), "kept though nobody listened");
        await(logs.append("user:other", "{\"n\":3}", WHISPERS));
        ExecutionException full = assertThrows(ExecutionException.class,
                () -> await(logs.append("user:third", "{\"n\":4}", WHISPERS)));
        assertTrue(full.getCause() instanceof Logs.LogsFull, full.toString());
        assertEquals(0, read(logs, "user:third", null).lastOffset(), "nothing was appended");
        await(logs.interested("user:online"));
        assertEquals(1, await(logs.append("user:online", "{\"n\":5}", WHISPERS)).offset(),
                "a log somebody listens to takes its whispers whatever the total");
    }

    @Test
    void expiredWhispersOfUsersWhoNeverCameBackMakeRoomAgain() throws Exception {
        InMemoryLogs logs = logs(Map.of("switchboard.inbox.max-total", "2"));
        Logs.Retention hour = new Logs.Retention(100, Duration.ofHours(1), true);
        await(logs.append("user:gone", "{}", hour));
        await(logs.append("user:gone", "{}", hour));
        assertThrows(ExecutionException.class, () -> await(logs.append("user:next", "{}", hour)));
        logs.clock = Clock.fixed(start.plus(Duration.ofHours(2)), ZoneOffset.UTC);
        assertEquals(1, await(logs.append("user:next", "{}", hour)).offset(), "the expired ones were swept out");
        assertFalse(read(logs, "user:gone", 2L).recovered(), "the emptied log was forgotten: a new epoch");
    }
}

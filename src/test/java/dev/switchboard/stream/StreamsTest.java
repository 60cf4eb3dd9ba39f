package dev.switchboard.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import dev.switchboard.engine.memory.InMemoryLogs;
import dev.switchboard.session.Channel;
import dev.switchboard.session.Frame;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.session.TestTransports;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Followers of a log get every offset once and in order: from the replay of their join, live, across
 * entries that arrive while the store is read, across a gap pub/sub left, and after a reconnection.
 * The in-memory engine is the store; reads can be held back to make the races happen on purpose.
 */
class StreamsTest {

    private static final Channel CHANNEL = new Channel("test", false);
    private static final Logs.Retention RETENTION = new Logs.Retention(100, Duration.ofHours(1), false);

    private final ServerExecutors executors = new ServerExecutors();
    private final SessionRegistry registry = TestTransports.registry(executors);
    private final InMemoryLogs engine = InMemoryLogs.create(
            SwitchboardConfig.of(Map.of()), Clock.systemUTC());
    /** Reads held back by the test, completed when it says. */
    private final List<Runnable> heldReads = new ArrayList<>();
    private boolean holdReads;
    private final Streams streams = streams();

    private Streams streams() {
        Streams s = new Streams();
        s.bus = engine;
        s.executors = executors;
        s.meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        s.config = SwitchboardConfig.of(Map.of("switchboard.position-check", "1h")); // the tests check when they say
        s.logs = new Logs() {
            @Override
            public CompletionStage<Entry> append(String log, String body, Retention retention) {
                return engine.append(log, body, retention);
            }

            @Override
            public CompletionStage<Entry> amend(String log, long offset, String epoch, String expectedBody, String keptBody,
                    String body, Retention retention) {
                return engine.amend(log, offset, epoch, expectedBody, keptBody, body, retention);
            }

            @Override
            public CompletionStage<Void> rewrite(String log, long offset, String epoch, String expectedBody, String keptBody) {
                return engine.rewrite(log, offset, epoch, expectedBody, keptBody);
            }

            @Override
            public CompletionStage<Map<String, Position>> heads(Collection<String> logs) {
                return engine.heads(logs);
            }

            @Override
            public CompletionStage<Position> delivered(String log) {
                return engine.delivered(log);
            }

            @Override
            public void markDelivered(String log, Position reached) {
                engine.markDelivered(log, reached);
            }

            @Override
            public CompletionStage<Replay> read(String log, Long since, String epoch) {
                if (!holdReads) {
                    return engine.read(log, since, epoch);
                }
                CompletableFuture<Replay> later = new CompletableFuture<>();
                // Read when released, as a slow store answers with what it has by then.
                heldReads.add(() -> engine.read(log, since, epoch).thenAccept(later::complete));
                return later;
            }
        };
        s.listen();
        return s;
    }

    @AfterEach
    void stop() {
        executors.shutdownOwnExecutors();
    }

    private static String wire(Entry entry) {
        return entry.offset() + ":" + entry.body();
    }

    private TestTransports.Recorded follow(String id, Long since) {
        TestTransports.Recorded recorded = TestTransports.connect(registry, CHANNEL, id, "u-" + id);
        streams.follow(recorded.connection(), "log", since, null, StreamsTest::wire,
                replay -> new Frame.Text("greeting@" + replay.lastOffset()));
        return recorded;
    }

    private void append(int... numbers) {
        for (int n : numbers) {
            engine.append("log", "m" + n, RETENTION);
        }
    }

    private static List<String> expected(String greeting, long from, long to) {
        List<String> all = new ArrayList<>();
        if (greeting != null) {
            all.add(greeting);
        }
        LongStream.rangeClosed(from, to).forEach(n -> all.add(n + ":m" + n));
        return all;
    }

    @Test
    void aJoinerGetsItsGreetingTheReplayThenLiveEntries() {
        append(1, 2);
        TestTransports.Recorded ann = follow("a", null);
        append(3, 4);
        assertEquals(expected("greeting@2", 1, 4), ann.texts().get());
    }

    @Test
    void aJoinerWithAnOffsetGetsOnlyWhatItMissed() {
        append(1, 2, 3);
        TestTransports.Recorded ann = follow("a", 2L);
        append(4);
        assertEquals(expected("greeting@3", 3, 4), ann.texts().get());
    }

    @Test
    void entriesArrivingWhileTheStoreIsReadWaitAndNoneIsRepeated() {
        append(1);
        holdReads = true;
        TestTransports.Recorded ann = follow("a", null);
        append(2, 3); // live while the read is pending: held
        heldReads.remove(0).run(); // the read sees 1..3, and 2 and 3 also came live
        append(4);
        assertEquals(expected("greeting@3", 1, 4), ann.texts().get());
    }

    @Test
    void aGapInWhatArrivesIsReadBackFromTheStoreInOrder() {
        TestTransports.Recorded ann = follow("a", null);
        append(1);
        // Pub/sub lost offsets 2 and 3: the store has them, the node hears 4 first.
        engine.listen(null);
        append(2, 3);
        engine.listen(streams);
        append(4);
        append(5);
        assertEquals(expected("greeting@0", 1, 5), ann.texts().get());
    }

    @Test
    void aLostLastEntryIsReadBackAfterTwoPositionChecksAndAnEntryOnItsWayIsNot() {
        TestTransports.Recorded ann = follow("a", null);
        append(1);
        engine.listen(null);
        append(2); // pub/sub lost the last entry: nothing after it shows a gap
        engine.listen(streams);
        streams.checkPositions(); // the store is at 2: the yardstick for the next check
        assertEquals(expected("greeting@0", 1, 1), ann.texts().get(), "one check cannot tell lost from on its way");
        streams.checkPositions(); // still behind 2, a check later: lost
        assertEquals(expected("greeting@0", 1, 2), ann.texts().get());

        holdReads = true;
        append(3);
        streams.checkPositions();
        streams.checkPositions();
        assertTrue(heldReads.isEmpty(), "a follower that heard everything reads nothing");
        assertEquals(expected("greeting@0", 1, 3), ann.texts().get());
    }

    @Test
    void afterAReconnectionEveryFollowerCatchesUpOnWhatItMissed() {
        TestTransports.Recorded ann = follow("a", null);
        TestTransports.Recorded bob = follow("b", null);
        append(1);
        engine.listen(null); // the link to other nodes is down: nothing arrives
        append(2, 3);
        engine.listen(streams);
        streams.reconnected();
        assertEquals(expected("greeting@0", 1, 3), ann.texts().get());
        assertEquals(expected("greeting@0", 1, 3), bob.texts().get());
    }

    @Test
    void aFailedCatchUpIsTriedAgainUntilTheStoreAnswers() {
        TestTransports.Recorded ann = follow("a", null);
        append(1);
        engine.listen(null);
        append(2);
        engine.listen(streams);
        holdReads = true;
        append(3); // a gap: the catch-up read is held, as a store that does not answer yet
        append(4);
        assertEquals(expected("greeting@0", 1, 1), ann.texts().get(), "nothing past the gap before it is read");
        holdReads = false;
        heldReads.remove(0).run();
        assertEquals(expected("greeting@0", 1, 4), ann.texts().get());
    }

    @Test
    void theNodeListensWhileSomeConnectionFollowsAndStopsAfterTheLast() throws Exception {
        TestTransports.Recorded ann = follow("a", null);
        TestTransports.Recorded bob = follow("b", null);
        streams.unfollow(ann.connection(), "log");
        append(1);
        assertEquals(List.of("greeting@0"), ann.texts().get(), "ann left before it");
        assertEquals(expected("greeting@0", 1, 1), bob.texts().get());
        streams.unfollow(bob.connection(), "log");
        // Nobody here follows it: appends reach nobody, and the log is idle (droppable) for the engine.
        append(2);
        assertEquals(expected("greeting@0", 1, 1), bob.texts().get());
        TestTransports.Recorded cy = follow("c", 1L);
        assertEquals(List.of("greeting@2", "2:m2"), cy.texts().get(), "a later follower recovers what nobody heard");
    }

    @Test
    void aConnectionThatClosesFollowsNothingAndAFollowAfterItsCloseIsUndone() throws Exception {
        TestTransports.Recorded ann = follow("a", null);
        ann.connection().close(null);
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> ann.connection().isClosed());
        TestTransports.Recorded bob = follow("b", null);
        boolean followedAfterClose = streams.follow(ann.connection(), "other", null, null, StreamsTest::wire,
                replay -> new Frame.Text("late")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertFalse(followedAfterClose, "a closed connection does not follow");
        append(1);
        assertEquals(expected("greeting@0", 1, 1), bob.texts().get());
        assertTrue(ann.texts().get().stream().noneMatch(t -> t.startsWith("1:")), ann.texts().get().toString());
    }
}

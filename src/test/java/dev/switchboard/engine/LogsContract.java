package dev.switchboard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every engine's logs and bus promise, whichever engine runs: each engine's test extends this
 * with its own {@link #logs()} and {@link #bus()}.
 */
public abstract class LogsContract {

    protected static final int KEPT = 3;
    /** As a room's history: {@value #KEPT} entries for an hour. */
    protected static final Logs.Retention RETENTION = new Logs.Retention(KEPT, Duration.ofHours(1), false);
    private static final long WAIT_SECONDS = 5;

    /** What the bus handed to this node's listener: entries and signals, in the order they came. */
    protected final BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
    /** Log names unique to the test, so engines that outlive a test (a Redis server) start clean. */
    private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";

    record Signal(String topic, String text, String except) {
    }

    /** The engine's logs. */
    protected abstract Logs logs();

    /** The same engine's bus. */
    protected abstract Bus bus();

    @BeforeEach
    void listen() {
        bus().listen(new Bus.Listener() {
            @Override
            public Runnable entry(Entry entry) {
                heard.add(entry);
                return () -> { };
            }

            @Override
            public void signal(String topic, String text, String exceptConnectionId) {
                heard.add(new Signal(topic, text, exceptConnectionId));
            }

            @Override
            public void reconnected() {
            }
        });
    }

    protected String log(String name) {
        return prefix + name;
    }

    protected static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private Entry append(String log, String body) throws Exception {
        return await(logs().append(log, body, RETENTION));
    }

    private Logs.Replay read(String log, Long since, String epoch) throws Exception {
        return await(logs().read(log, since, epoch));
    }

    private static String bodies(Logs.Replay replay) {
        return String.join(",", replay.entries().stream().map(Entry::body).toList());
    }

    private Object next() throws InterruptedException {
        Object got = heard.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(got, "nothing reached the listener");
        return got;
    }

    @Test
    void offsetsStartAtOneAndIncreasePerLog() throws Exception {
        assertEquals(1, append(log("a"), "{\"n\":1}").offset());
        assertEquals(2, append(log("a"), "{\"n\":2}").offset());
        assertEquals(1, append(log("b"), "{\"n\":3}").offset());
        Entry third = append(log("a"), "{\"n\":4}");
        assertEquals(3, third.offset());
        assertEquals(log("a"), third.log());
        assertEquals("{\"n\":4}", third.body(), "the body comes back as written");
        assertEquals(read(log("a"), null, null).epoch(), third.epoch());
    }

    /** A log of {"n":1} and {"n":2} that this node listens to, nothing heard yet; its epoch. */
    private String twoEntriesListenedTo(String log) throws Exception {
        append(log, "{\"n\":1}");
        append(log, "{\"n\":2}");
        bus().interested(log).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        heard.clear();
        return read(log, null, null).epoch();
    }

    @Test
    void anAmendKeepsTheNewBodyInPlaceAndAppendsTheChangeWhichIsPublished() throws Exception {
        String epoch = twoEntriesListenedTo(log("m"));
        Entry change = await(logs().amend(log("m"), 1, epoch, "{\"gone\":1}", "{\"deleted\":1}", RETENTION));
        assertEquals(3, change.offset());
        assertEquals("{\"deleted\":1}", ((Entry) next()).body(), "the change reaches the listener as an entry of its own");
        assertEquals("{\"gone\":1},{\"n\":2},{\"deleted\":1}", bodies(read(log("m"), null, null)), "the entry changed in place");
        assertEquals("{\"deleted\":1}", bodies(read(log("m"), 2L, epoch)), "a reader past it learns of the change");
    }

    @Test
    void anAmendOverAVersionSomeoneChangedMeanwhileWritesNothingAndTheRightVersionGoesThrough() throws Exception {
        append(log("cas"), "{\"v\":1}");
        String epoch = read(log("cas"), null, null).epoch();
        await(logs().amend(log("cas"), 1, epoch, "{\"v\":1}", "{\"v\":2}", "{\"changed\":1}", RETENTION));
        ExecutionException lost = assertThrows(ExecutionException.class, () -> await(
                logs().amend(log("cas"), 1, epoch, "{\"v\":1}", "{\"v\":3}", "{\"changed\":2}", RETENTION)));
        assertTrue(lost.getCause() instanceof Logs.Changed, String.valueOf(lost.getCause()));
        assertEquals("{\"v\":2},{\"changed\":1}", bodies(read(log("cas"), null, null)), "the loser wrote nothing");
        await(logs().amend(log("cas"), 1, epoch, "{\"v\":2}", "{\"v\":3}", "{\"changed\":3}", RETENTION));
        assertEquals("{\"v\":3},{\"changed\":1},{\"changed\":3}", bodies(read(log("cas"), null, null)));
    }

    @Test
    void aRewriteKeepsTheNewBodyInPlaceOverTheVersionReadAndAppendsAndTellsNothing() throws Exception {
        String epoch = twoEntriesListenedTo(log("rw"));
        await(logs().rewrite(log("rw"), 1, epoch, "{\"n\":1}", "{\"n\":1,\"quote\":0}"));
        assertEquals("{\"n\":1,\"quote\":0},{\"n\":2}", bodies(read(log("rw"), null, null)));
        assertEquals(2, read(log("rw"), null, null).lastOffset(), "nothing appended");
        ExecutionException lost = assertThrows(ExecutionException.class,
                () -> await(logs().rewrite(log("rw"), 1, epoch, "{\"n\":1}", "{\"x\":1}")));
        assertTrue(lost.getCause() instanceof Logs.Changed, String.valueOf(lost.getCause()));
        ExecutionException gone = assertThrows(ExecutionException.class,
                () -> await(logs().rewrite(log("rw"), 7, epoch, null, "{\"x\":1}")));
        assertTrue(gone.getCause() instanceof Logs.NotKept, String.valueOf(gone.getCause()));
        append(log("rw"), "{\"marker\":1}");
        assertEquals("{\"marker\":1}", ((Entry) next()).body(), "the rewrites told nobody: the marker is the first heard");
    }

    @Test
    void anAmendOfAnEntryNoLongerKeptOrOfAnotherEpochWritesNothing() throws Exception {
        for (int i = 1; i <= KEPT + 1; i++) {
            append(log("x"), "{\"n\":" + i + "}");
        }
        String epoch = read(log("x"), null, null).epoch();
        for (long offset : new long[] {1, 9}) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> await(
                    logs().amend(log("x"), offset, epoch, "{}", "{\"deleted\":" + offset + "}", RETENTION)));
            assertTrue(failed.getCause() instanceof Logs.NotKept, String.valueOf(failed.getCause()));
        }
        ExecutionException otherEpoch = assertThrows(ExecutionException.class, () -> await(
                logs().amend(log("x"), 3, "not-" + epoch, "{}", "{}", RETENTION)));
        assertTrue(otherEpoch.getCause() instanceof Logs.NotKept, String.valueOf(otherEpoch.getCause()));
        assertThrows(ExecutionException.class, () -> await(logs().amend(log("never"), 1, null, "{}", "{}", RETENTION)));
        assertEquals(KEPT + 1, read(log("x"), null, null).lastOffset(), "nothing appended");
    }

    @Test
    void headsSayEachLogsLastOffsetAndEpochAndLeaveOutLogsTheStoreDoesNotHave() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // several, so that with more than one Redis server some live on each
            String name = log("h" + i);
            names.add(name);
            for (int n = 0; n <= i; n++) {
                append(name, "{\"n\":" + n + "}");
            }
        }
        names.add(log("never-written"));
        Map<String, Logs.Position> heads = await(logs().heads(names));
        assertEquals(6, heads.size(), heads.toString());
        for (int i = 0; i < 6; i++) {
            String name = log("h" + i);
            assertEquals(new Logs.Position(i + 1, read(name, null, null).epoch()), heads.get(name), name);
        }
        assertEquals(Map.of(), await(logs().heads(List.of())));
    }

    @Test
    void aReadWithoutSinceGetsTheKeptEntriesNotRecovered() throws Exception {
        for (int i = 1; i <= 5; i++) {
            append(log("r"), "{\"m\":" + i + "}");
        }
        Logs.Replay replay = read(log("r"), null, null);
        assertEquals("{\"m\":3},{\"m\":4},{\"m\":5}", bodies(replay), "only the last " + KEPT + " are kept");
        assertFalse(replay.recovered());
        assertEquals(5, replay.lastOffset());
    }

    @Test
    void sinceWithinWhatIsKeptRecoversExactlyTheMissedEntries() throws Exception {
        for (int i = 1; i <= 5; i++) {
            append(log("r"), "{\"m\":" + i + "}");
        }
        assertEquals("{\"m\":4},{\"m\":5}", bodies(read(log("r"), 3L, null)));
        assertTrue(read(log("r"), 3L, null).recovered());
        assertEquals("{\"m\":3},{\"m\":4},{\"m\":5}", bodies(read(log("r"), 2L, null)), "the oldest kept is the first missed");
        assertTrue(read(log("r"), 2L, null).recovered());
        assertEquals("", bodies(read(log("r"), 5L, null)), "up to date: nothing missed");
        assertTrue(read(log("r"), 5L, null).recovered());
    }

    @Test
    void aGapOlderThanWhatIsKeptOrAnOffsetFromTheFutureIsNotRecovered() throws Exception {
        for (int i = 1; i <= 5; i++) {
            append(log("r"), "{\"m\":" + i + "}");
        }
        Logs.Replay gap = read(log("r"), 1L, null);
        assertFalse(gap.recovered());
        assertEquals("{\"m\":3},{\"m\":4},{\"m\":5}", bodies(gap), "the reader reloads what is left");
        assertFalse(read(log("r"), 9L, null).recovered(), "an offset this log never had");
        assertFalse(read(log("never-used"), 4L, null).recovered());
        assertTrue(read(log("never-used"), 0L, null).recovered());
        assertEquals(0, read(log("never-used"), null, null).lastOffset());
    }

    @Test
    void anOffsetFromAnotherEpochIsNotRecovered() throws Exception {
        append(log("r"), "{}");
        String epoch = read(log("r"), null, null).epoch();
        assertNotNull(epoch);
        assertTrue(read(log("r"), 0L, epoch).recovered());
        assertFalse(read(log("r"), 0L, "an-older-run").recovered(), "offsets of another epoch mean nothing now");
    }

    @Test
    void appendsReachTheListenerInOffsetOrderOnceTheNodeIsInterested() throws Exception {
        append(log("r"), "{\"before\":true}");
        await(bus().interested(log("r")));
        append(log("r"), "{\"n\":2}");
        append(log("r"), "{\"n\":3}");
        Entry first = (Entry) next();
        assertEquals(2, first.offset(), "nothing from before the node was interested");
        assertEquals("{\"n\":2}", first.body());
        assertEquals(3, ((Entry) next()).offset());
    }

    @Test
    void signalsReachTheListenerForTopicsTheNodeIsInterestedInOnly() throws Exception {
        await(bus().interested(log("t")));
        bus().signal(log("unheard"), "{\"no\":1}", null);
        bus().signal(log("t"), "{\"yes\":1}", "conn-1");
        assertEquals(new Signal(log("t"), "{\"yes\":1}", "conn-1"), next());
        assertNull(heard.poll(200, TimeUnit.MILLISECONDS), "the unheard topic's signal did not arrive");
    }

    @Test
    void theDeliveredMarkOnlyMovesForwardWithinTheLogsEpoch() throws Exception {
        assertEquals(0, await(logs().delivered(log("new"))).offset(), "nothing reached anyone yet");
        for (int i = 1; i <= 3; i++) {
            append(log("w"), "{}");
        }
        String epoch = read(log("w"), null, null).epoch();
        assertEquals(new Logs.Position(0, epoch), await(logs().delivered(log("w"))));
        logs().markDelivered(log("w"), new Logs.Position(2, epoch));
        assertEquals(new Logs.Position(2, epoch), await(logs().delivered(log("w"))));
        logs().markDelivered(log("w"), new Logs.Position(1, epoch));
        assertEquals(2, await(logs().delivered(log("w"))).offset(), "a reader behind the mark does not move it back");
        logs().markDelivered(log("w"), new Logs.Position(3, "another-epoch"));
        assertEquals(2, await(logs().delivered(log("w"))).offset(), "a place in another epoch means nothing here");
        Logs.Replay undelivered = read(log("w"), 2L, epoch);
        assertEquals(1, undelivered.entries().size(), "what no reader had yet");
        assertEquals(3, undelivered.entries().get(0).offset());
    }

    @Test
    void concurrentAppendsGetDistinctOffsetsAndReachTheListenerInOrder() throws Exception {
        await(bus().interested(log("busy")));
        int writers = 4;
        int each = 250;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < each; i++) {
                        append(log("busy"), "{\"w\":" + writer + ",\"i\":" + i + "}");
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(List.of(), failures);
        long expected = 1;
        while (expected <= (long) writers * each) {
            Entry entry = (Entry) next();
            assertEquals(expected, entry.offset(), "every offset once, in order");
            expected++;
        }
        assertEquals(writers * each, read(log("busy"), null, null).lastOffset());
        assertNotEquals(null, read(log("busy"), null, null).epoch());
    }
}

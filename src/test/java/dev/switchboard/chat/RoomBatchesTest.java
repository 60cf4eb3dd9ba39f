package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.ServerExecutors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batches per room: each change is told once, in the batch it went into, however changes and telling race. */
class RoomBatchesTest {

    private final ServerExecutors executors = new ServerExecutors();
    /** What was told: the room, then the batch's changes in the order they were made. */
    private final BlockingQueue<String> told = new LinkedBlockingQueue<>();

    @AfterEach
    void stopScheduler() {
        executors.shutdownOwnExecutors(); // outside a server: Switchboard's own timer and work pool
    }

    private RoomBatches<List<Integer>> batches(long delayMillis) {
        return new RoomBatches<>(executors, ArrayList::new, room -> delayMillis,
                (room, batch) -> batch.forEach(change -> told.add(room + " " + change)));
    }

    @Test
    void theChangeThatBeginsABatchHasItToldAfterTheDelayWithTheChangesMadeMeanwhile() throws InterruptedException {
        RoomBatches<List<Integer>> batches = batches(200);
        long started = System.nanoTime();
        batches.add("a", batch -> batch.add(1));
        batches.add("b", batch -> batch.add(2));
        batches.add("a", batch -> batch.add(3));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String one = told.poll(5, TimeUnit.SECONDS);
            assertTrue(one != null, "told so far: " + got);
            got.add(one);
        }
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(200), "not before the delay");
        assertEquals(List.of("a 1", "a 3"), got.stream().filter(t -> t.startsWith("a ")).toList(), "one batch, in order");
        assertTrue(got.contains("b 2"));

        batches.add("a", batch -> batch.add(4)); // the batch was taken: this begins the next, told by itself
        assertEquals("a 4", told.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void changesRacingTheTellingAreEachToldOnceNoneLost() throws Exception {
        RoomBatches<List<Integer>> batches = batches(TimeUnit.HOURS.toMillis(1)); // told by hand below
        int writers = 4;
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int first = w * each;
            Thread writer = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = first; i < first + each; i++) {
                    int change = i;
                    batches.add("r", batch -> batch.add(change));
                }
            });
            writer.start();
            threads.add(writer);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread teller = new Thread(() -> {
            while (writing.get()) {
                batches.tell("r");
            }
        });
        teller.start();
        start.countDown();
        for (Thread writer : threads) {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
        writing.set(false);
        teller.join(TimeUnit.SECONDS.toMillis(30));
        batches.tell("r"); // what the last batch gathered

        List<String> all = new ArrayList<>();
        told.drainTo(all);
        assertEquals(writers * each, all.size(), "each change told once");
        assertEquals(writers * each, all.stream().distinct().count(), "none twice");
    }
}

package dev.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The timer only times and the work pool takes what blocks: outside a server, on Switchboard's own executors. */
class ServerExecutorsTest {

    private final ServerExecutors executors = new ServerExecutors();

    @AfterEach
    void shutDown() {
        executors.shutdownOwnExecutors();
    }

    @Test
    void theTimerKeepsTimeWhileEveryWorkThreadIsBlocked() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch allBlocked = new CountDownLatch(ServerExecutors.WORK_THREADS);
        for (int i = 0; i < ServerExecutors.WORK_THREADS + 5; i++) {
            executors.work().execute(() -> {
                allBlocked.countDown();
                awaitQuietly(release);
            });
        }
        try {
            assertTrue(allBlocked.await(10, TimeUnit.SECONDS), "every work thread is taken");
            CountDownLatch ticked = new CountDownLatch(3);
            executors.timer().scheduleAtFixedRate(ticked::countDown, 10, 10, TimeUnit.MILLISECONDS);
            assertTrue(ticked.await(10, TimeUnit.SECONDS), "the timer ticked while the work pool was stuck");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aPeriodicRoundIsSkippedWhileThePreviousOneStillRuns() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch secondRound = new CountDownLatch(1);
        executors.every("a slow round", () -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            if (rounds.incrementAndGet() == 1) {
                firstStarted.countDown();
                awaitQuietly(release); // a round stuck on a stalled store
            } else {
                secondRound.countDown();
            }
            running.decrementAndGet();
        }, 5, TimeUnit.MILLISECONDS);
        assertTrue(firstStarted.await(10, TimeUnit.SECONDS), "the first round started");
        // Many periods pass while the first round is stuck: a probe on the timer, 20 periods later.
        CountDownLatch periodsPassed = new CountDownLatch(1);
        executors.timer().schedule(periodsPassed::countDown, 100, TimeUnit.MILLISECONDS);
        assertTrue(periodsPassed.await(10, TimeUnit.SECONDS), "the timer went on");
        assertEquals(1, rounds.get(), "no round started while the first was stuck");
        release.countDown();
        assertTrue(secondRound.await(10, TimeUnit.SECONDS), "rounds go on once it is done");
        assertEquals(1, mostAtOnce.get(), "never two rounds at once");
    }

    @Test
    void aRoundThatThrowsIsLoggedAndTheNextOneRuns() throws Exception {
        CountDownLatch twice = new CountDownLatch(2);
        executors.every("a failing round", () -> {
            twice.countDown();
            throw new IllegalStateException("the store said no");
        }, 5, TimeUnit.MILLISECONDS);
        assertTrue(twice.await(10, TimeUnit.SECONDS), "a second round ran after the first threw");
    }

    @Test
    void laterRunsTheTaskOnTheWorkPoolNotTheTimer() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        String[] thread = new String[1];
        executors.later(() -> {
            thread[0] = Thread.currentThread().getName();
            ran.countDown();
        }, 5, TimeUnit.MILLISECONDS);
        assertTrue(ran.await(10, TimeUnit.SECONDS), "the task ran");
        assertTrue(thread[0].startsWith("switchboard-work"), "on a work thread: " + thread[0]);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LingeringCloseTest {

    private final AtomicInteger socketCloses = new AtomicInteger();
    /** The deadlines asked for, run by the test when it pleases. */
    private final List<Runnable> deadlines = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private final List<Future<?>> futures = new ArrayList<>();

    private LingeringClose lingering(long millis) {
        return new LingeringClose(socketCloses::incrementAndGet, millis, (task, delay) -> {
            deadlines.add(task);
            delays.add(delay);
            CompletableFuture<Void> future = new CompletableFuture<>();
            futures.add(future);
            return future;
        });
    }

    @Test
    void aServerCloseKeepsTheSocketOpenUntilTheClientAnswers() {
        LingeringClose close = lingering(5_000);
        close.serverClosed();
        assertEquals(0, socketCloses.get(), "open for the client's close frame");
        assertTrue(close.serverHasClosed(), "what the client sends now is dropped");
        assertEquals(List.of(5_000L), delays);
        close.clientClosed();
        assertEquals(1, socketCloses.get());
        assertTrue(futures.get(0).isCancelled(), "the deadline is called off");
        deadlines.get(0).run(); // had it fired anyway
        assertEquals(1, socketCloses.get(), "closed once");
    }

    @Test
    void aClientThatNeverAnswersIsCutWhenTheLingerIsUp() {
        LingeringClose close = lingering(5_000);
        close.serverClosed();
        deadlines.get(0).run();
        assertEquals(1, socketCloses.get());
        close.clientClosed();
        assertEquals(1, socketCloses.get(), "closed once");
    }

    @Test
    void whenTheClientClosedFirstTheServersAnswerClosesTheSocketAtOnce() {
        LingeringClose close = lingering(5_000);
        close.clientClosed();
        assertEquals(0, socketCloses.get(), "the engine still answers the client's close frame");
        assertFalse(close.serverHasClosed());
        close.serverClosed();
        assertEquals(1, socketCloses.get());
        assertTrue(deadlines.isEmpty(), "no lingering");
    }

    @Test
    void noLingerClosesAtOnce() {
        LingeringClose close = lingering(0);
        close.serverClosed();
        close.serverClosed();
        assertEquals(1, socketCloses.get());
        assertTrue(deadlines.isEmpty());
    }
}

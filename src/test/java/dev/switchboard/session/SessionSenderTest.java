package dev.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionSenderTest {

    private final AtomicInteger closedCallbacks = new AtomicInteger();

    private SessionSender sender(RecordingTransport transport, int limit) {
        return new SessionSender(transport, limit, 1_000_000, Runnable::run, closedCallbacks::incrementAndGet);
    }

    private static ByteBuffer position(long sentBefore) {
        return ByteBuffer.allocate(Long.BYTES).putLong(0, sentBefore);
    }

    private static List<Frame.Ping> pings(RecordingTransport transport) {
        return transport.written.stream().filter(Frame.Ping.class::isInstance).map(Frame.Ping.class::cast).toList();
    }

    @Test
    void aClientThatTakesBytesButNeverConfirmsThemIsClosedWith4001PastTheByteBudget() {
        RecordingTransport transport = new RecordingTransport("non-reader", true);
        SessionSender sender = new SessionSender(transport, 1_000, 1_000, Runnable::run, closedCallbacks::incrementAndGet);
        String hundred = "x".repeat(100);
        for (int i = 0; i < 10; i++) {
            assertTrue(sender.send(new Frame.Text(hundred)), "within the budget: " + i);
        }
        assertEquals(1, pings(transport).size(), "a quarter of the budget unconfirmed asked for a pong, once");
        assertEquals(300, pings(transport).get(0).sentBefore(), "the ping names the bytes sent before it");
        sender.pong(position(123_456));
        sender.pong(ByteBuffer.allocate(0));
        assertEquals(1_000, sender.unconfirmedBytes(), "pongs that answer no ping of ours confirm nothing");
        assertFalse(sender.send(new Frame.Text(hundred)), "one more byte than the budget");
        assertEquals(4001, transport.closes.get(0).getCloseCode().getCode());
    }

    @Test
    void aClientThatReadsAndAnswersPingsKeepsGoingWhateverItIsSent() {
        RecordingTransport transport = new RecordingTransport("reader", true);
        SessionSender sender = new SessionSender(transport, 1_000, 1_000, Runnable::run, closedCallbacks::incrementAndGet);
        String hundred = "x".repeat(100);
        for (int i = 0; i < 100; i++) {
            assertTrue(sender.send(new Frame.Text(hundred)), "message " + i);
            for (Frame.Ping ping : pings(transport)) {
                sender.pong(position(ping.sentBefore()));
            }
        }
        assertFalse(sender.isClosed());
        assertTrue(sender.unconfirmedBytes() <= 400, "unconfirmed " + sender.unconfirmedBytes());
        assertEquals(10_000, transport.texts().size() * 100L);
    }

    @Test
    void framesAreWrittenInTheOrderTheyWereSentOneAtATime() throws Exception {
        RecordingTransport transport = new RecordingTransport("s1", false);
        SessionSender sender = sender(transport, 10);
        for (int i = 0; i < 5; i++) {
            assertTrue(sender.send(new Frame.Text("m" + i)));
        }
        assertEquals(List.of("m0"), transport.texts(), "only one write in flight");
        assertEquals(4, sender.waiting());
        for (int i = 0; i < 5; i++) {
            transport.completeNext(null);
        }
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), transport.texts());
        assertEquals(1, transport.maxInFlight.get());
        assertEquals(0, sender.waiting());
    }

    @Test
    void overflowClosesWith4001DropsTheQueueAndRefusesLaterFrames() throws Exception {
        RecordingTransport transport = new RecordingTransport("slow", false);
        SessionSender sender = sender(transport, 3);
        assertTrue(sender.send(new Frame.Text("in flight")));
        for (int i = 0; i < 3; i++) {
            assertTrue(sender.send(new Frame.Text("waiting " + i)));
        }
        assertFalse(sender.send(new Frame.Text("one too many")));
        assertTrue(sender.isClosed());
        assertEquals(1, transport.closes.size());
        assertEquals(4001, transport.closes.get(0).getCloseCode().getCode());
        assertEquals(1, closedCallbacks.get());
        assertFalse(sender.send(new Frame.Text("after close")));
        transport.completeNext(null);
        assertEquals(List.of("in flight"), transport.texts(), "nothing more is written after the close");
    }

    @Test
    void closingTwiceClosesOnce() {
        RecordingTransport transport = new RecordingTransport("s", true);
        SessionSender sender = sender(transport, 3);
        sender.close(new jakarta.websocket.CloseReason(jakarta.websocket.CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
        sender.close(new jakarta.websocket.CloseReason(jakarta.websocket.CloseReason.CloseCodes.GOING_AWAY, ""));
        sender.discard(1000);
        assertEquals(1, transport.closes.size());
        assertEquals(1, closedCallbacks.get());
    }

    @Test
    void aFailedWriteClosesTheSenderOnce() throws Exception {
        RecordingTransport transport = new RecordingTransport("broken", false);
        SessionSender sender = sender(transport, 10);
        sender.send(new Frame.Text("a"));
        sender.send(new Frame.Text("b"));
        transport.completeNext(new IOException("Broken pipe"));
        assertTrue(sender.isClosed());
        assertEquals(1, closedCallbacks.get());
        assertEquals(List.of("a"), transport.texts());
    }

    @Test
    void concurrentSendersNeverWriteTwoFramesAtOnceAndLoseNothing() throws Exception {
        RecordingTransport transport = new RecordingTransport("busy", true);
        int threads = 8;
        int perThread = 5_000;
        SessionSender sender = sender(transport, threads * perThread);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String name = "t" + t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        sender.send(new Frame.Text(name + ":" + i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> texts = transport.texts();
        assertEquals(threads * perThread, texts.size(), "every frame written exactly once");
        assertEquals(1, transport.maxInFlight.get(), "never two writes at once");
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + ":";
            List<Integer> order = texts.stream().filter(s -> s.startsWith(prefix))
                    .map(s -> Integer.parseInt(s.substring(prefix.length()))).toList();
            for (int i = 0; i < perThread; i++) {
                assertEquals(i, order.get(i), "each thread's frames keep their order");
            }
        }
    }

    @Test
    void aTransportThatThrowsClosesOnlyItsOwnConnection() {
        Transport closedByPeer = new Transport() {
            @Override
            public String id() {
                return "gone";
            }

            @Override
            public void write(Frame frame, java.util.function.Consumer<Throwable> whenWritten) {
                whenWritten.accept(new IllegalStateException("The connection has been closed."));
            }

            @Override
            public void close(jakarta.websocket.CloseReason reason) {
            }
        };
        SessionSender sender = new SessionSender(closedByPeer, 10, 1_000_000, Runnable::run, closedCallbacks::incrementAndGet);
        assertTrue(sender.send(new Frame.Text("to a peer that left")), "the caller is not failed");
        assertTrue(sender.isClosed());
        assertEquals(1, closedCallbacks.get());
    }
}

package dev.switchboard.session;

import dev.switchboard.protocol.FrameCodec;
import jakarta.websocket.CloseReason;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A transport for unit tests that keeps every frame it is given and lets the test decide when each
 * write completes, as a slow network would. It also counts writes in flight at once.
 */
final class RecordingTransport implements Transport {

    final List<Frame> written = new CopyOnWriteArrayList<>();
    final BlockingQueue<Consumer<Throwable>> pendingCompletions = new LinkedBlockingQueue<>();
    final List<CloseReason> closes = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final String id;
    private final boolean completeAtOnce;

    RecordingTransport(String id, boolean completeAtOnce) {
        this.id = id;
        this.completeAtOnce = completeAtOnce;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void write(Frame frame, Consumer<Throwable> whenWritten) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        written.add(frame);
        Consumer<Throwable> completion = failure -> {
            inFlight.decrementAndGet();
            whenWritten.accept(failure);
        };
        if (completeAtOnce) {
            completion.accept(null);
        } else {
            pendingCompletions.add(completion);
        }
    }

    /** Completes the oldest write in flight, as the network finishing it. */
    void completeNext(Throwable failure) throws InterruptedException {
        Consumer<Throwable> next = pendingCompletions.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("no write was in flight");
        }
        next.accept(failure);
    }

    @Override
    public void close(CloseReason reason) {
        closes.add(reason);
    }

    /** What the client has read as text: text frames, and replies as the codec writes them. */
    List<String> texts() {
        return written.stream().<String>mapMulti((frame, out) -> {
            if (frame instanceof Frame.Text text) {
                out.accept(text.text());
            } else if (frame instanceof Frame.Encoded encoded) {
                out.accept(FrameCodec.toJson(encoded.message()));
            }
        }).toList();
    }
}

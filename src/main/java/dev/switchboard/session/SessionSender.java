package dev.switchboard.session;

import dev.switchboard.protocol.CloseCodes;
import jakarta.websocket.CloseReason;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one way out to a connection: a bounded queue written one frame at a time, so no two threads
 * ever write the same session and a slow reader never holds up the thread that sends to it.
 * When the queue overflows, the connection is closed with 4001 instead of buffering without end.
 */
public final class SessionSender {

    private static final Logger LOG = Logger.getLogger(SessionSender.class.getName());

    private final Transport transport;
    private final int queueLimit;
    private final Executor closer;
    private final Runnable onClosed;

    private final Queue<Frame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param transport  where frames are written
     * @param queueLimit frames that may wait; one more closes the connection
     * @param closer     runs the (possibly blocking) close off the caller's thread
     * @param onClosed   runs once when this sender closes, whatever the reason
     */
    public SessionSender(Transport transport, int queueLimit, Executor closer, Runnable onClosed) {
        this.transport = transport;
        this.queueLimit = queueLimit;
        this.closer = closer;
        this.onClosed = onClosed;
    }

    /** Queues a frame and starts writing; false if the sender is closed or this frame overflowed the queue (which closes it). */
    public boolean send(Frame frame) {
        if (!enqueue(frame)) {
            return false;
        }
        writeNext();
        return true;
    }

    /**
     * Queues a frame without writing it yet, so that a fan-out can queue in order under a lock and
     * write after it; {@link #flush()} starts the writing. False as for {@link #send}.
     */
    public boolean enqueue(Frame frame) {
        if (closed.get()) {
            return false;
        }
        if (waiting.incrementAndGet() > queueLimit) {
            waiting.decrementAndGet();
            LOG.info(() -> "Session " + transport.id() + " reads too slowly: " + queueLimit
                    + " frames waiting; closing it with 4001");
            close(CloseCodes.reason(CloseCodes.SEND_QUEUE_OVERFLOW, "Send queue overflow: reading too slowly"));
            return false;
        }
        queue.add(frame);
        return true;
    }

    /** Writes what is queued, unless a write is already under way (which then carries on with it). */
    public void flush() {
        writeNext();
    }

    /** Frames queued and not yet handed to the transport. */
    public int waiting() {
        return waiting.get();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Drops what is queued and closes the connection, once; later calls do nothing. */
    public void close(CloseReason reason) {
        if (closed.compareAndSet(false, true)) {
            queue.clear();
            waiting.set(0);
            try {
                onClosed.run();
            } finally {
                closeTransport(reason);
            }
        }
    }

    private void closeTransport(CloseReason reason) {
        try {
            closer.execute(() -> transport.close(reason));
        } catch (RejectedExecutionException shuttingDown) {
            transport.close(reason);
        }
    }

    /** Forgets the connection without writing to it again: it is already closed at the other end. */
    public void discard() {
        if (closed.compareAndSet(false, true)) {
            queue.clear();
            waiting.set(0);
            onClosed.run();
        }
    }

    /**
     * Writes queued frames one at a time. A write that completes at once, on this thread, lets the loop
     * go on; one that completes later continues the loop from its callback. Either way the stack stays flat.
     */
    private void writeNext() {
        while (!closed.get() && !queue.isEmpty() && writing.compareAndSet(false, true)) {
            Frame next = queue.poll();
            if (next == null) {
                writing.set(false);
                continue;
            }
            waiting.decrementAndGet();
            Completion completion = new Completion();
            transport.write(next, completion);
            if (!completion.completedBeforeReturn()) {
                return;
            }
            if (completion.failure != null) {
                writeFailed(completion.failure);
                return;
            }
            writing.set(false);
        }
    }

    private void writeFailed(Throwable failure) {
        if (!closed.get()) {
            // A broken pipe or a session already closed is the peer leaving; anything else (an encoder
            // failing) is our bug.
            Level level = failure instanceof java.io.IOException || failure instanceof IllegalStateException
                    ? Level.FINE : Level.WARNING;
            LOG.log(level, failure, () -> "Writing to session " + transport.id() + " failed; closing it");
        }
        close(CloseCodes.reason(CloseCodes.INTERNAL_ERROR, "Write failed"));
    }

    /** The callback of one write, which knows whether it ran before or after {@code write} returned. */
    private final class Completion implements Consumer<Throwable> {
        private static final int PENDING = 0;
        private static final int RETURNED = 1;
        private static final int COMPLETED = 2;

        private final AtomicInteger state = new AtomicInteger(PENDING);
        private volatile Throwable failure;

        @Override
        public void accept(Throwable failure) {
            this.failure = failure;
            if (state.compareAndSet(PENDING, COMPLETED)) {
                return; // still inside write(): the loop in writeNext carries on
            }
            if (failure != null) {
                writeFailed(failure);
                return;
            }
            writing.set(false);
            writeNext();
        }

        boolean completedBeforeReturn() {
            return !state.compareAndSet(PENDING, RETURNED);
        }
    }
}

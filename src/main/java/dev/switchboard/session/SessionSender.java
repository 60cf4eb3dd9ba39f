package dev.switchboard.session;

import dev.switchboard.protocol.CloseCodes;
import jakarta.websocket.CloseReason;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one way out to a connection: a bounded queue written one frame at a time, so no two threads
 * ever write the same session and a slow reader never holds up the thread that sends to it.
 * When the queue overflows, the connection is closed with 4001 instead of buffering without end.
 *
 * <p>A write completes when the container has taken the bytes, not when the client has read them, so
 * the queue alone does not bound what waits for a client that does not read. Every ping therefore
 * carries the count of bytes sent before it, and the client's pong (which it sends only after reading
 * them) confirms them; bytes queued or sent and not yet confirmed are bounded by a budget in bytes,
 * past which the connection is closed with 4001 too. Once a quarter of the budget is unconfirmed, a
 * ping goes out at once to ask, so a client that reads keeps up whatever the heartbeat interval.
 */
public final class SessionSender {

    private static final Logger LOG = Logger.getLogger(SessionSender.class.getName());

    private final Transport transport;
    private final int queueLimit;
    private final long bufferLimitBytes;
    private final Executor closer;
    private final Runnable onClosed;
    private final LongConsumer written;
    /** The close code the connection ended with: ours when we closed it, the client's when it did. */
    private volatile int closeCode = CloseCodes.ABNORMAL;

    private final Queue<Frame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Bytes queued and not yet handed to the transport. */
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Bytes handed to the transport; written by the one writer at a time, read by anyone. */
    private volatile long sentBytes;
    /** Bytes the client has confirmed reading, by answering a ping sent after them. */
    private volatile long confirmedBytes;
    /** The positions pings were sent at and not yet answered; a pong must name one to confirm anything. */
    private final Deque<Long> unansweredPings = new ArrayDeque<>();
    private static final int UNANSWERED_PINGS_KEPT = 4;
    /** A ping asking for confirmation is queued and not yet written: one is enough. */
    private final AtomicBoolean probeQueued = new AtomicBoolean();

    /**
     * @param transport        where frames are written
     * @param queueLimit       frames that may wait; one more closes the connection
     * @param bufferLimitBytes bytes that may be queued or sent and unconfirmed; more close the connection
     * @param closer           runs the (possibly blocking) close off the caller's thread
     * @param onClosed         runs once when this sender closes, whatever the reason
     */
    public SessionSender(Transport transport, int queueLimit, long bufferLimitBytes, Executor closer, Runnable onClosed) {
        this(transport, queueLimit, bufferLimitBytes, closer, onClosed, bytes -> { });
    }

    /** As above, telling {@code written} the weight of each frame as it is handed to the transport. */
    public SessionSender(Transport transport, int queueLimit, long bufferLimitBytes, Executor closer, Runnable onClosed,
            LongConsumer written) {
        this.written = written;
        this.transport = transport;
        this.queueLimit = queueLimit;
        this.bufferLimitBytes = bufferLimitBytes;
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
            return overflow(queueLimit + " frames waiting");
        }
        long unconfirmed = queuedBytes.addAndGet(frame.weight()) + sentBytes - confirmedBytes;
        if (unconfirmed > bufferLimitBytes) {
            return overflow(unconfirmed + " bytes sent or waiting and not read");
        }
        queue.add(frame);
        return true;
    }

    /** Closes a connection that reads too slowly with 4001; false, for the frame that overflowed. */
    private boolean overflow(String what) {
        LOG.info(() -> "Session " + transport.id() + " reads too slowly: " + what + "; closing it with 4001");
        close(CloseCodes.reason(CloseCodes.SEND_QUEUE_OVERFLOW, "Send queue overflow: reading too slowly"));
        return false;
    }

    /** The client answered a ping: if it is one of ours, what was sent before it has been read. */
    public void pong(ByteBuffer payload) {
        if (payload.remaining() != Long.BYTES) {
            return;
        }
        long position = payload.getLong(payload.position());
        synchronized (unansweredPings) {
            if (!unansweredPings.contains(position)) {
                return; // not a ping we sent, or answered already: confirms nothing
            }
            while (!unansweredPings.isEmpty() && unansweredPings.peekFirst() <= position) {
                unansweredPings.pollFirst();
            }
            if (position > confirmedBytes) {
                confirmedBytes = position;
            }
        }
    }

    /** Bytes sent and not yet confirmed by a pong. */
    long unconfirmedBytes() {
        return sentBytes - confirmedBytes;
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

    /**
     * Drops what is queued and closes the connection, once; later calls do nothing. The close itself
     * (which may block) runs on the closer, never the caller's thread.
     */
    public void close(CloseReason reason) {
        if (reason != null && !closed.get()) {
            closeCode = reason.getCloseCode().getCode();
        }
        closeOnce(() -> {
            try {
                closer.execute(() -> transport.close(reason));
            } catch (RejectedExecutionException shuttingDown) {
                transport.close(reason);
            }
        });
    }

    /** Forgets the connection without writing to it again: it is already closed at the other end (with this code). */
    public void discard(int clientsCode) {
        if (!closed.get()) {
            closeCode = clientsCode;
        }
        closeOnce(() -> { });
    }

    /** How the connection ended (1006 until it has, or when it failed without a close frame). */
    public int closeCode() {
        return closeCode;
    }

    /** The first call drops the queue, tells the owner, then closes the transport as given; later calls do nothing. */
    private void closeOnce(Runnable closeTransport) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queue.clear();
        waiting.set(0);
        queuedBytes.set(0);
        try {
            onClosed.run();
        } finally {
            closeTransport.run();
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
            next = beforeWriting(next);
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

    /** Counts a frame as sent; a ping gets its position, and a quarter of the budget unconfirmed asks for a pong. */
    private Frame beforeWriting(Frame frame) {
        long weight = frame.weight();
        written.accept(weight);
        queuedBytes.addAndGet(-weight);
        long sent = sentBytes + weight;
        sentBytes = sent; // only the one writer at a time gets here
        if (frame instanceof Frame.Ping) {
            probeQueued.set(false);
            synchronized (unansweredPings) {
                if (unansweredPings.size() == UNANSWERED_PINGS_KEPT) {
                    unansweredPings.pollFirst();
                }
                unansweredPings.addLast(sent);
            }
            return new Frame.Ping(sent);
        }
        if (sent - confirmedBytes > bufferLimitBytes / 4 && noPingSentSince(confirmedBytes)
                && probeQueued.compareAndSet(false, true)) {
            waiting.incrementAndGet();
            queue.add(Frame.Ping.probe()); // written next in this same loop, or by whoever carries on
        }
        return frame;
    }

    private boolean noPingSentSince(long position) {
        synchronized (unansweredPings) {
            return unansweredPings.isEmpty() || unansweredPings.peekLast() <= position;
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

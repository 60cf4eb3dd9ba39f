package dev.switchboard.config;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The upgraded connection's input as the WebSocket engine sees it: through a {@link FrameGuard}. It
 * holds no buffer of its own between reads: bytes are read into, and filtered through, buffers of the
 * reading thread (a worker pool's few threads, not 20,000 connections); only what the guard let
 * through and the engine's read had no room for (a few bytes at most) is kept.
 */
final class GuardedInputStream extends ServletInputStream {

    private static final int CHUNK = 65_536;
    /** JDK types only: a pool thread's buffers must not hold the application's class loader. */
    private static final ThreadLocal<byte[]> READ = ThreadLocal.withInitial(() -> new byte[CHUNK]);
    private static final ThreadLocal<byte[]> PASSED = ThreadLocal.withInitial(() -> new byte[CHUNK + FrameGuard.MOST_ADDED]);
    private static final byte[] NOTHING = new byte[0];

    private final ServletInputStream raw;
    private final FrameGuard guard;
    private final LingeringClose close;
    /** The client's side has ended: nothing more will come. */
    private boolean ended;
    /** Let through and not yet read by the engine: {@code carry[carryPos, carry.length)}. */
    private byte[] carry = NOTHING;
    private int carryPos;

    GuardedInputStream(ServletInputStream raw, FrameGuard guard, LingeringClose close) {
        this.raw = raw;
        this.guard = guard;
        this.close = close;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (close.serverHasClosed()) {
            drop();
            return 0;
        }
        int copied = takeCarry(b, off, len);
        byte[] read = READ.get();
        byte[] passed = PASSED.get();
        while (copied < len && !guard.refused() && raw.isReady()) {
            int n = raw.read(read, 0, Math.min(len - copied, CHUNK));
            if (n < 0) {
                clientEnded();
                return copied > 0 ? copied : -1;
            }
            if (n == 0) {
                break;
            }
            int through = guard.filter(read, 0, n, passed);
            if (guard.clientClosed() || guard.refused()) {
                close.clientClosed(); // refused: the guard's close frame stands for the client's
            }
            int fits = Math.min(through, len - copied);
            System.arraycopy(passed, 0, b, off + copied, fits);
            copied += fits;
            if (fits < through) {
                carry = Arrays.copyOfRange(passed, fits, through);
                carryPos = 0;
                break;
            }
            if (copied > 0 && raw.available() <= 0) {
                break;
            }
        }
        return copied;
    }

    /**
     * Reads what the client sent after the server closed its side, and drops it, watching for the
     * client's close frame or the end of its stream, which let the socket close at once. Reading it keeps
     * the socket's receive buffer empty, so closing it sends an orderly end, not a reset.
     */
    private void drop() throws IOException {
        carry = NOTHING;
        carryPos = 0;
        byte[] read = READ.get();
        byte[] passed = PASSED.get();
        while (!ended && raw.isReady()) {
            int n = raw.read(read, 0, CHUNK);
            if (n < 0) {
                clientEnded();
                return;
            }
            if (n == 0) {
                return;
            }
            if (!guard.refused()) {
                guard.filter(read, 0, n, passed);
            }
            if (guard.clientClosed() || guard.refused()) {
                close.clientClosed();
            }
        }
    }

    private void clientEnded() {
        ended = true;
        close.clientClosed();
    }

    private int takeCarry(byte[] b, int off, int len) {
        int n = Math.min(len, carry.length - carryPos);
        System.arraycopy(carry, carryPos, b, off, n);
        carryPos += n;
        if (carryPos == carry.length) {
            carry = NOTHING;
            carryPos = 0;
        }
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int available() throws IOException {
        int mine = carry.length - carryPos;
        return guard.refused() ? mine : mine + Math.max(0, raw.available());
    }

    @Override
    public boolean isFinished() {
        return raw.isFinished() && carryPos >= carry.length;
    }

    @Override
    public boolean isReady() {
        if (ended) {
            return false;
        }
        if (close.serverHasClosed()) {
            return raw.isReady(); // read to be dropped
        }
        return carryPos < carry.length || (!guard.refused() && raw.isReady());
    }

    @Override
    public void setReadListener(ReadListener listener) {
        raw.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}

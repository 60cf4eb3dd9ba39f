package dev.switchboard.config;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** The upgraded connection's input as the WebSocket engine sees it: through a FrameGuard. */
final class GuardedInputStream extends ServletInputStream {

    private final ServletInputStream raw;
    private final FrameGuard guard;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(64);
    private byte[] pendingBytes = new byte[0];
    private int pendingPos;
    private byte[] scratch = new byte[8192];

    GuardedInputStream(ServletInputStream raw, FrameGuard guard) {
        this.raw = raw;
        this.guard = guard;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int copied = drain(b, off, len);
        while (copied < len && !guard.refused() && raw.isReady()) {
            int want = Math.min(len - copied, 65536);
            if (scratch.length < want) {
                scratch = new byte[want];
            }
            int n = raw.read(scratch, 0, want);
            if (n < 0) {
                return copied > 0 ? copied : -1;
            }
            if (n == 0) {
                break;
            }
            guard.filter(scratch, 0, n, pending);
            pendingBytes = pending.toByteArray();
            pendingPos = 0;
            pending.reset();
            copied += drain(b, off + copied, len - copied);
            if (copied > 0 && raw.available() <= 0) {
                break;
            }
        }
        return copied;
    }

    private int drain(byte[] b, int off, int len) {
        int n = Math.min(len, pendingBytes.length - pendingPos);
        System.arraycopy(pendingBytes, pendingPos, b, off, n);
        pendingPos += n;
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
        int mine = pendingBytes.length - pendingPos;
        return guard.refused() ? mine : mine + Math.max(0, raw.available());
    }

    @Override
    public boolean isFinished() {
        return raw.isFinished() && pendingPos >= pendingBytes.length;
    }

    @Override
    public boolean isReady() {
        return pendingPos < pendingBytes.length || (!guard.refused() && raw.isReady());
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

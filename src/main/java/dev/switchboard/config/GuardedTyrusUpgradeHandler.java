package dev.switchboard.config;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler;

/**
 * Tyrus's upgrade handler, made safe against two kinds of client. Loaded only on Tyrus, by
 * {@link TyrusUpgradeFilter}.
 * <ul>
 * <li>Its read listener is registered after {@code init} has created the connection (and opened the
 * latch the listener waits on), not in the middle of it: a frame pipelined behind the handshake no
 * longer parks the thread for good.</li>
 * <li>What the client sends passes a {@link FrameGuard} first: Tyrus buffers a whole frame before any
 * size check (a 5 MB frame got 1011 "Buffer overflow"; one declaring 16 MB and trickling was held until
 * the heartbeat), and takes unmasked frames. The guard answers both at the header: 1009 and 1002.</li>
 * </ul>
 */
public class GuardedTyrusUpgradeHandler extends TyrusHttpUpgradeHandler {

    private long maxMessageBytes = Long.MAX_VALUE;

    /** The largest message (one frame, or a fragmented message's total) a client may send. */
    void limitMessagesTo(long bytes) {
        maxMessageBytes = bytes;
    }

    @Override
    public void init(WebConnection connection) {
        DeferringConnection deferring;
        try {
            deferring = new DeferringConnection(connection, maxMessageBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        super.init(deferring);
        // May call onDataAvailable at once, on this thread: the latch is open by now.
        deferring.input.registerListener();
    }

    /** The container's connection, whose input is guarded and only remembers its read listener. */
    private static final class DeferringConnection implements WebConnection {
        private final WebConnection connection;
        private final DeferringInput input;

        DeferringConnection(WebConnection connection, long maxMessageBytes) throws IOException {
            this.connection = connection;
            this.input = new DeferringInput(new GuardedInputStream(connection.getInputStream(), new FrameGuard(maxMessageBytes)));
        }

        @Override
        public ServletInputStream getInputStream() {
            return input;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            return connection.getOutputStream();
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }

    /** Passes everything to the container's stream, except the read listener, which waits for {@link #registerListener}. */
    private static final class DeferringInput extends ServletInputStream {
        private final ServletInputStream in;
        private ReadListener listener;

        DeferringInput(ServletInputStream in) {
            this.in = in;
        }

        void registerListener() {
            if (listener != null) {
                in.setReadListener(listener);
            }
        }

        @Override
        public void setReadListener(ReadListener readListener) {
            listener = readListener;
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public int readLine(byte[] b, int off, int len) throws IOException {
            return in.readLine(b, off, len);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

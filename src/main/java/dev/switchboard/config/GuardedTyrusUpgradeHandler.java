package dev.switchboard.config;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler;

/**
 * Tyrus's upgrade handler, made safe against two kinds of client. Loaded only on Tyrus, by
 * {@link TyrusUpgradeFilter}.
 * <ul>
 * <li>Data that arrives while {@code init} runs waits until it has finished. Tyrus registers its read
 * listener before it creates its connection and opens the latch the listener waits on, and Payara calls
 * the listener at once, on the same thread, when a frame came in the same TCP write as the handshake:
 * the thread waited on itself for good. The listener is still registered where Tyrus registers it, before
 * the 101 goes out (registered after {@code init}, one connection in a thousand lost the race with the
 * client's first frame: "Cannot set ReaderListener for non-async or non-upgrade request").</li>
 * <li>What the client sends passes a {@link FrameGuard} first: Tyrus buffers a whole frame before any
 * size check (a 5 MB frame got 1011 "Buffer overflow"; one declaring 16 MB and trickling was held until
 * the heartbeat), and takes unmasked frames. The guard answers both at the header: 1009 and 1002.</li>
 * </ul>
 */
public class GuardedTyrusUpgradeHandler extends TyrusHttpUpgradeHandler {

    private static final Logger LOG = Logger.getLogger(GuardedTyrusUpgradeHandler.class.getName());

    private long maxMessageBytes = Long.MAX_VALUE;
    private long lingerMillis;
    private LingeringClose.Later later;

    /**
     * @param maxMessageBytes the largest message (one frame, or a fragmented message's total) a client may send
     * @param lingerMillis    how long a connection the server closed stays open for the client's close frame
     * @param later           runs the close when that time is up
     */
    void configure(long maxMessageBytes, long lingerMillis, LingeringClose.Later later) {
        this.maxMessageBytes = maxMessageBytes;
        this.lingerMillis = lingerMillis;
        this.later = later;
    }

    @Override
    public void init(WebConnection connection) {
        DeferringConnection deferring;
        try {
            deferring = new DeferringConnection(connection, maxMessageBytes, lingerMillis, later);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        super.init(deferring);
        deferring.input.initialised();
    }

    /**
     * The container's connection, whose input is guarded and tells its read listener of data only after
     * init, and whose socket, once Tyrus closes it, lingers for the client's close frame.
     */
    private static final class DeferringConnection implements WebConnection {
        private final WebConnection connection;
        private final DeferringInput input;
        private final LingeringClose lingering;

        DeferringConnection(WebConnection connection, long maxMessageBytes, long lingerMillis, LingeringClose.Later later)
                throws IOException {
            this.connection = connection;
            this.lingering = new LingeringClose(this::closeSocket, lingerMillis, later);
            this.input = new DeferringInput(new GuardedInputStream(connection.getInputStream(), new FrameGuard(maxMessageBytes), lingering));
        }

        @Override
        public ServletInputStream getInputStream() {
            return input;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            return connection.getOutputStream();
        }

        /** Tyrus is done with the connection: the socket closes once the client has answered, or the linger is up. */
        @Override
        public void close() {
            lingering.serverClosed();
        }

        private void closeSocket() {
            try {
                connection.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, e, () -> "Closing an upgraded connection failed; it is gone anyway");
            }
        }
    }

    /**
     * Passes everything to the container's stream; its read listener is told of data only once the
     * handler's {@code init} has finished, and of data that came before, then.
     */
    private static final class DeferringInput extends ServletInputStream {
        private final ServletInputStream in;
        private ReadListener listener;
        private boolean initialised;
        private boolean dataCameEarly;
        private final Object reading = new Object();

        DeferringInput(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public void setReadListener(ReadListener readListener) {
            listener = readListener;
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    synchronized (DeferringInput.this) {
                        if (!initialised) {
                            dataCameEarly = true; // read once init has finished, by initialised()
                            return;
                        }
                    }
                    readAvailable();
                }

                @Override
                public void onAllDataRead() throws IOException {
                    listener.onAllDataRead();
                }

                @Override
                public void onError(Throwable failure) {
                    listener.onError(failure);
                }
            });
        }

        /** The handler's init has finished: data held back is read now. */
        void initialised() {
            boolean readNow;
            synchronized (this) {
                initialised = true;
                readNow = dataCameEarly && listener != null;
            }
            if (readNow) {
                try {
                    readAvailable();
                } catch (IOException | RuntimeException e) {
                    listener.onError(e);
                }
            }
        }

        /**
         * Tells Tyrus of data, one thread at a time: the early data is read from init's thread, and the
         * container may meanwhile call again for data that arrived since. Uncontended otherwise.
         */
        private void readAvailable() throws IOException {
            synchronized (reading) {
                listener.onDataAvailable();
            }
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

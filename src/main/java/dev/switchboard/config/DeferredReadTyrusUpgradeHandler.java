package dev.switchboard.config;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler;

/**
 * Tyrus's upgrade handler, with its read listener registered after {@code init} has created the
 * connection (and opened the latch the listener waits on), not in the middle of it. Loaded only on
 * Tyrus, by {@link TyrusUpgradeFilter}.
 */
public class DeferredReadTyrusUpgradeHandler extends TyrusHttpUpgradeHandler {

    @Override
    public void init(WebConnection connection) {
        DeferringConnection deferring;
        try {
            deferring = new DeferringConnection(connection);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        super.init(deferring);
        // May call onDataAvailable at once, on this thread: the latch is open by now.
        deferring.input.registerListener();
    }

    /** The container's connection, whose input stream only remembers its read listener. */
    private static final class DeferringConnection implements WebConnection {
        private final WebConnection connection;
        private final DeferringInput input;

        DeferringConnection(WebConnection connection) throws IOException {
            this.connection = connection;
            this.input = new DeferringInput(connection.getInputStream());
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

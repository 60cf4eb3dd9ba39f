package dev.switchboard.session;

import dev.switchboard.protocol.FrameCodec;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A {@link Transport} over a Jakarta WebSocket session, using its asynchronous remote. */
final class WebSocketTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(WebSocketTransport.class.getName());

    private final Session session;

    WebSocketTransport(Session session) {
        this.session = session;
    }

    @Override
    public String id() {
        return session.getId();
    }

    @Override
    public void write(Frame frame, Consumer<Throwable> whenWritten) {
        SendHandler handler = result -> whenWritten.accept(result.isOK() ? null : result.getException());
        try {
            // Inside the try: a session closed by its peer throws here, and that is this connection's
            // failure alone, never the caller's (who may be fanning out to a whole room).
            RemoteEndpoint.Async remote = session.getAsyncRemote();
            if (frame instanceof Frame.Text text) {
                remote.sendText(text.text(), handler);
            } else if (frame instanceof Frame.Binary binary) {
                remote.sendBinary(binary.data().duplicate(), handler);
            } else if (frame instanceof Frame.Encoded encoded) {
                // Not sendObject: Tyrus's asynchronous sendObject writes synchronously on the caller's
                // thread (seen blocking a reader on a client that did not read). Encoded here, by the
                // one codec, then sent as asynchronous text like every other frame.
                remote.sendText(FrameCodec.toJson(encoded.message()), handler);
            } else if (frame instanceof Frame.Ping ping) {
                remote.sendPing(ByteBuffer.allocate(Long.BYTES).putLong(0, ping.sentBefore()));
                whenWritten.accept(null);
            }
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (IOException | RuntimeException | Error e) {
            // Errors too: an encoder that fails on a string (Tyrus throws java.lang.Error) must end this
            // connection's sender, never leave it busy for good or escape into someone's fan-out.
            whenWritten.accept(e);
        }
    }

    @Override
    public void close(CloseReason reason) {
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, e, () -> "Closing session " + session.getId() + " failed; it is gone anyway");
        }
    }
}

package dev.switchboard.session;

import jakarta.websocket.CloseReason;
import java.util.function.Consumer;

/** Where a {@link SessionSender} writes: a WebSocket session in the server, a recorder in unit tests. */
public interface Transport {

    /** A stable id for logs. */
    String id();

    /**
     * Starts writing one frame; {@code whenWritten} runs once when it is written ({@code null}) or failed.
     * Never called again before {@code whenWritten} has run.
     */
    void write(Frame frame, Consumer<Throwable> whenWritten);

    /** Closes the connection; may block briefly, so it is never called on a shared thread. */
    void close(CloseReason reason);
}

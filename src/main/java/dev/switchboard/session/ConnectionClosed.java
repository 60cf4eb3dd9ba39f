package dev.switchboard.session;

import java.util.Set;

/**
 * CDI event: a connection has gone (closed by either side, timed out or dropped) and left the
 * registry; {@code topics} are those it was subscribed to. Observers run on the work pool. An observer
 * that cannot reach the engine throws {@link dev.switchboard.engine.EngineUnavailable}, and the event
 * is fired again later to every observer, with {@code retried} set: so each observer's clean-up must be
 * safe to repeat, and must not count on an earlier try's answer (a command the store ran after its
 * client gave up answers nothing, so a retried exit from presence asks who is still there instead).
 */
public record ConnectionClosed(Connection connection, Set<String> topics, boolean retried) {

    public ConnectionClosed(Connection connection, Set<String> topics) {
        this(connection, topics, false);
    }

    /** The same event, fired again after a failed try. */
    ConnectionClosed again() {
        return new ConnectionClosed(connection, topics, true);
    }
}

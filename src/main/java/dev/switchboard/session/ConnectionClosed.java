package dev.switchboard.session;

/** CDI event: a connection has gone (closed by either side, timed out or dropped) and left the registry. */
public record ConnectionClosed(Connection connection) {
}

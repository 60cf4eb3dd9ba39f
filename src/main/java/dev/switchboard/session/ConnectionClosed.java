package dev.switchboard.session;

import java.util.Set;

/**
 * CDI event: a connection has gone (closed by either side, timed out or dropped) and left the
 * registry; {@code topics} are those it was subscribed to.
 */
public record ConnectionClosed(Connection connection, Set<String> topics) {
}

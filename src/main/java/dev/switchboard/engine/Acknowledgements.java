package dev.switchboard.engine;

import java.util.Optional;

/** Remembers the ack given to each client id, so that a retried message is acknowledged, not repeated. */
public interface Acknowledgements {

    /** The ack already given to this user's {@code cid}, if any. */
    Optional<String> find(String user, String cid);

    void remember(String user, String cid, String ack);
}

package dev.switchboard.protocol;

import java.util.Arrays;
import java.util.Optional;

/** The {@code type} of an envelope, with the name it has on the wire. */
public enum MessageType {
    /** Client asks for a {@link #PONG}: an application-level heartbeat browsers can send. */
    PING("ping"),
    /** Server answers a {@link #PING}. */
    PONG("pong"),
    /** Server reports a problem with a client's frame; the connection stays open. */
    ERROR("error");

    private final String wireName;

    MessageType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<MessageType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}

package dev.switchboard.protocol;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The {@code type} of an envelope, with the name it has on the wire. */
public enum MessageType {
    /** Client asks for a {@link #PONG}: an application-level heartbeat browsers can send. */
    PING("ping"),
    /** Server answers a {@link #PING}. */
    PONG("pong"),
    /** Server reports a problem with a client's frame; the connection stays open. */
    ERROR("error"),
    /** Client joins a room, optionally recovering from an offset. */
    JOIN("join"),
    /** Client leaves a room. */
    LEAVE("leave"),
    /** Client posts to a room. */
    SAY("say"),
    /** A private message: client to server, and server to both parties' connections. */
    WHISPER("whisper"),
    /** Someone is typing in a room or to a user. */
    TYPING("typing"),
    /** Server greets a new chat connection. */
    WELCOME("welcome"),
    /** Server delivers a room message. */
    MESSAGE("message"),
    /** Server tells a new chat connection where the user's whisper log is, before what it missed. */
    WHISPERS("whispers"),
    /** Server confirms a join: members, last offset, whether recovery worked. */
    JOINED("joined"),
    /** A user came into or left a room. */
    PRESENCE("presence"),
    /** Server accepted a client's message. */
    ACK("ack"),
    /** Client hands over a fresh token for its open connection, before the current one expires. */
    REFRESH("refresh"),
    /** Server took a {@link #REFRESH}: the connection now holds until the new token's expiry. */
    REFRESHED("refreshed");

    /** The types clients send; chat sends the others (and whispers and typing both ways). */
    public static final Set<MessageType> FROM_CLIENTS = Collections.unmodifiableSet(
            EnumSet.of(PING, JOIN, LEAVE, SAY, WHISPER, TYPING, REFRESH));

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

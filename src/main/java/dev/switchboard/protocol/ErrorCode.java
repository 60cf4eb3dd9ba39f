package dev.switchboard.protocol;

/** The stable {@code code} of an {@code error} frame. */
public enum ErrorCode {
    /** The frame is not a JSON object. */
    BAD_JSON("bad_json"),
    /** A required field, such as {@code type}, is missing or empty. */
    MISSING_FIELD("missing_field"),
    /** The {@code type} is not one Switchboard knows. */
    UNKNOWN_TYPE("unknown_type"),
    /** The {@code type} is known but this endpoint does not take it from clients. */
    UNSUPPORTED_TYPE("unsupported_type"),
    /** A room or user name is not 1-64 (rooms) or 1-32 (users) letters, digits, '_', '-', '.' (rooms also ':'). */
    BAD_NAME("bad_name"),
    /** A field is too long or of the wrong kind (a {@code cid} over 64 characters). */
    BAD_FIELD("bad_field"),
    /** The connection is not in the room it speaks to. */
    NOT_JOINED("not_joined"),
    /** More messages than the rate limit allows; wait and retry. */
    RATE_LIMITED("rate_limited"),
    /** A {@code join} past {@code switchboard.connection.max-rooms} rooms for this connection. */
    TOO_MANY_ROOMS("too_many_rooms"),
    /** A whisper to an offline user while the server keeps {@code switchboard.inbox.max-total} whispers already. */
    INBOX_FULL("inbox_full"),
    /** A {@code refresh} whose token is invalid, expired, or names another user; the connection keeps its old expiry. */
    INVALID_TOKEN("invalid_token"),
    /** The engine (Redis) cannot be reached: nothing was done; try again later. */
    UNAVAILABLE("unavailable"),
    /**
     * Not the sender's to do: a room it may not join or say anything in (chat); another customer's
     * conversation, or an agent's action asked by a customer (the desk).
     */
    FORBIDDEN("forbidden"),
    /** A {@code join} of a room whose namespace caps its members, with that many in it. */
    ROOM_FULL("room_full"),
    /** A message longer than its room's namespace allows ({@code maxMessageBytes}). */
    TOO_LARGE("too_large"),
    /** A say sooner after the user's last one in the room than its slow mode allows; {@code until} says when. */
    SLOW_MODE("slow_mode"),
    /** A say from a user a moderator muted in the room; {@code until} says when the mute ends (absent: no end). */
    MUTED("muted"),
    /** A join of a room a moderator banned the user from; {@code until} says when the ban ends (absent: no end). */
    BANNED("banned"),
    /** A {@code watch} of more users than {@code switchboard.watch.max}; the connection keeps watching whom it watched. */
    TOO_MANY_WATCHED("too_many_watched"),
    /** An {@code edit} or {@code delete} of one's own message later than its namespace's edit window allows. */
    TOO_LATE("too_late"),
    /** A {@code react} with an emoji the user already gave that message. */
    ALREADY_REACTED("already_reacted"),
    /** No open conversation has that id (it closed, or never was). */
    NOT_FOUND("not_found"),
    /** The desk moved first: the conversation is someone else's now, or the agent has no free seat. */
    CONFLICT("conflict"),
    /** The site's back end (the authorization proxy) refused the join or say; the message is its reason. */
    DENIED("denied"),
    /** The site's back end could not be asked about the join or say (and the proxy fails closed); try again shortly. */
    PROXY_UNAVAILABLE("proxy_unavailable");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}

package dev.switchboard.chat;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * What chat sends its connections (docs/protocol.md, "Chat", server → client), one record per
 * {@code type}; the shared {@code error}, {@code pong} and {@code refreshed} are
 * {@link dev.switchboard.protocol.SharedFrame}s. Absent fields are null and left out of the JSON;
 * fields keep the order chat has always written them in (the contract does not fix it).
 */
@JsonbTypeInfo(key = "type", value = {
    @JsonbSubtype(alias = "welcome", type = ChatFrame.Welcome.class),
    @JsonbSubtype(alias = "joined", type = ChatFrame.Joined.class),
    @JsonbSubtype(alias = "message", type = ChatFrame.Message.class),
    @JsonbSubtype(alias = "whispers", type = ChatFrame.Whispers.class),
    @JsonbSubtype(alias = "whisper", type = ChatFrame.Whisper.class),
    @JsonbSubtype(alias = "presence", type = ChatFrame.Presence.class),
    @JsonbSubtype(alias = "typing", type = ChatFrame.Typing.class),
    @JsonbSubtype(alias = "ack", type = ChatFrame.Ack.class),
    @JsonbSubtype(alias = "left", type = ChatFrame.Left.class),
    @JsonbSubtype(alias = "moderated", type = ChatFrame.Moderated.class),
    @JsonbSubtype(alias = "slow_mode", type = ChatFrame.SlowMode.class),
    @JsonbSubtype(alias = "deleted", type = ChatFrame.Deleted.class),
    @JsonbSubtype(alias = "edited", type = ChatFrame.Edited.class),
    @JsonbSubtype(alias = "reactions", type = ChatFrame.Reactions.class),
    @JsonbSubtype(alias = "reads", type = ChatFrame.Reads.class),
    @JsonbSubtype(alias = "receipts", type = ChatFrame.Receipts.class)})
public sealed interface ChatFrame {

    /**
     * The first frame: the user, the rooms joined from the URL, the node that took the connection, and the
     * user's {@code info} when the site's back end gave some as the connection opened.
     */
    @JsonbPropertyOrder({"user", "rooms", "node", "info"})
    record Welcome(String user, List<String> rooms, String node, JsonObject info) implements ChatFrame {
    }

    /**
     * A join taken: the room's members (the first ones; absent where the namespace hides presence), its
     * last offset and epoch; {@code recovered} for a join with since; {@code readOnly} when the user may not
     * say anything there, {@code moderator} when they may moderate it (each only when true); {@code info},
     * by user, what the site's back end said of the listed members that it gave info for (absent: none);
     * {@code reads}, by user, how far the furthest readers have read (absent where the namespace hides presence).
     */
    @JsonbPropertyOrder({"cid", "room", "offset", "count", "members", "recovered", "epoch", "readOnly", "moderator", "info", "reads"})
    record Joined(String cid, String room, long offset, Integer count, List<String> members, Boolean recovered, String epoch,
            Boolean readOnly, Boolean moderator, JsonObject info, Map<String, Long> reads) implements ChatFrame {
    }

    /** Members of the room moved how far they have read (each to the offset given), in the log's {@code epoch}. */
    @JsonbPropertyOrder({"room", "epoch", "reads"})
    record Reads(String room, String epoch, Map<String, Long> reads) implements ChatFrame {
    }

    /**
     * How far the user's whispers to {@code with} got: the last one a connection of theirs was given
     * ({@code delivered}) and the last one they read ({@code read}), each by its id.
     */
    @JsonbPropertyOrder({"with", "delivered", "read"})
    record Receipts(String with, String delivered, String read) implements ChatFrame {
    }

    /**
     * A room message at its offset; from the server API also {@code server} and maybe {@code data}; a
     * deleted one (in history) is a tombstone: {@code deleted}, without text or data; an edited one carries
     * its latest text and when it was last {@code edited}; a reply, the quote ({@code replyTo}) of the message it answers.
     */
    @JsonbPropertyOrder({"room", "offset", "data", "deleted", "edited", "from", "id", "reactions", "replyTo", "server", "text", "ts"})
    record Message(String room, long offset, JsonValue data, Boolean deleted, Long edited, String from, String id,
            Map<String, Rooms.Reaction> reactions, Rooms.Quote replyTo, Boolean server, String text, long ts) implements ChatFrame {
    }

    /**
     * Someone ({@code by}) {@code added} or took back the reaction {@code emoji} on the message at
     * {@code target}: {@code reactions} is its summary now (emoji: count and the first users); this change is at {@code offset}.
     * In a room ({@code room}) or in the whispers {@code with} another user, in the reader's whisper log.
     */
    @JsonbPropertyOrder({"room", "with", "offset", "target", "emoji", "by", "added", "reactions"})
    record Reactions(String room, String with, long offset, long target, String emoji, String by, Boolean added,
            Map<String, Rooms.Reaction> reactions) implements ChatFrame {
    }

    /**
     * The message at {@code target} was edited by its author: its text is now {@code text}; this change is at {@code offset}.
     * In a room, or in the whispers {@code with} another user.
     */
    @JsonbPropertyOrder({"room", "with", "offset", "target", "text", "by", "ts"})
    record Edited(String room, String with, long offset, long target, String text, String by, long ts) implements ChatFrame {
    }

    /**
     * The message at {@code target} was deleted (by its author, a moderator or the server API); this change is at
     * {@code offset}. In a room, or in the whispers {@code with} another user.
     */
    @JsonbPropertyOrder({"room", "with", "offset", "target", "by"})
    record Deleted(String room, String with, long offset, long target, String by) implements ChatFrame {
    }

    /**
     * Where the user's whisper log stands, before the whispers a new connection missed; {@code receipts}, by
     * correspondent, how far the user's whispers to them got (absent: nothing told yet).
     */
    @JsonbPropertyOrder({"offset", "recovered", "epoch", "receipts"})
    record Whispers(long offset, Boolean recovered, String epoch, Map<String, Receipt> receipts) implements ChatFrame {
    }

    /** The last of the user's whispers a correspondent was given, and the last they read, by id (absent: none yet). */
    @JsonbPropertyOrder({"delivered", "read"})
    record Receipt(String delivered, String read) {
    }

    /**
     * A whisper at its offset in the receiving user's log, in its latest version (edited, a tombstone, its
     * reactions' summary), with the quote of the whisper it answers ({@code replyTo}).
     */
    @JsonbPropertyOrder({"offset", "data", "deleted", "edited", "from", "id", "reactions", "replyTo", "server", "text", "to", "ts"})
    record Whisper(long offset, JsonValue data, Boolean deleted, Long edited, String from, String id, Map<String, Rooms.Reaction> reactions,
            dev.switchboard.chat.Whispers.Quote replyTo, Boolean server, String text, String to, long ts) implements ChatFrame {
    }

    /**
     * Who joined and left a room since its last presence frame ({@code joins}, {@code leaves} absent in big
     * rooms); {@code info}, by user, what the site's back end said of joiners it gave info for (absent: none).
     */
    @JsonbPropertyOrder({"room", "count", "joins", "leaves", "info"})
    record Presence(String room, int count, List<String> joins, List<String> leaves, JsonObject info) implements ChatFrame {
    }

    /** Someone is typing in a room, or to a user. */
    @JsonbPropertyOrder({"room", "from", "to"})
    record Typing(String room, String from, String to) implements ChatFrame {
    }

    /** A frame taken: a say's room and offset, a whisper's recipient and status, a leave's room. */
    @JsonbPropertyOrder({"cid", "id", "room", "offset", "to", "status"})
    record Ack(String cid, String id, String room, Long offset, String to, String status) implements ChatFrame {
    }

    /**
     * The connection is no longer in the room, though it did not leave: {@code reason} says why
     * ({@code rights}: a refreshed token no longer lets the user in; {@code banned}: a moderator banned
     * the user, {@code until} then, or with no end).
     */
    @JsonbPropertyOrder({"room", "reason", "until"})
    record Left(String room, String reason, String until) implements ChatFrame {
    }

    /** A moderator muted the user in the room (until then, or with no end) or lifted the mute ({@code action}). */
    @JsonbPropertyOrder({"room", "action", "until"})
    record Moderated(String room, String action, String until) implements ChatFrame {
    }

    /** The room's slow mode changed: each member may say one message per this many seconds (0: off). */
    @JsonbPropertyOrder({"room", "seconds"})
    record SlowMode(String room, long seconds) implements ChatFrame {
    }
}

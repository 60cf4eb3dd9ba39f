package dev.switchboard.support;

import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;
import java.util.List;

/**
 * What the desk sends its customers and staff (docs/protocol.md, "Support desk", server → client),
 * one record per {@code type}; the shared {@code error}, {@code pong} and {@code refreshed} are
 * {@link dev.switchboard.protocol.SharedFrame}s. Absent fields are null and left out of the JSON.
 */
@JsonbTypeInfo(key = "type", value = {
    @JsonbSubtype(alias = "welcome", type = DeskFrame.Welcome.class),
    @JsonbSubtype(alias = "status", type = DeskFrame.Status.class),
    @JsonbSubtype(alias = "no_agents", type = DeskFrame.NoAgents.class),
    @JsonbSubtype(alias = "desk", type = DeskFrame.StaffView.class),
    @JsonbSubtype(alias = "transcript", type = DeskFrame.Transcript.class),
    @JsonbSubtype(alias = "message", type = DeskFrame.Message.class),
    @JsonbSubtype(alias = "event", type = DeskFrame.Event.class),
    @JsonbSubtype(alias = "released", type = DeskFrame.Released.class),
    @JsonbSubtype(alias = "typing", type = DeskFrame.Typing.class),
    @JsonbSubtype(alias = "read", type = DeskFrame.Read.class),
    @JsonbSubtype(alias = "ack", type = DeskFrame.Ack.class)})
public sealed interface DeskFrame {

    /** The first frame: who the connection is; agents also get the canned replies. */
    record Welcome(String role, String user, String name, String node, List<String> canned) implements DeskFrame {
    }

    /** What a customer is told about their conversation: its state, place and wait, or their agent. */
    record Status(String conversation, String state, Integer position, Long waitLow, Long waitHigh, String agent,
            long agentsOnline) implements DeskFrame {
    }

    /** Nobody can answer now ({@code nobody}, or outside the hours): leave a message instead. */
    record NoAgents(String reason, String cid, String message) implements DeskFrame {
    }

    /** An agent's (or supervisor's) view of the desk; {@code all} and {@code today} for supervisors only. */
    record StaffView(String status, int capacity, int load, List<DeskViews.Line> queue, List<DeskViews.Line> messages,
            List<DeskViews.Line> mine, List<DeskViews.AgentLine> agents, List<DeskViews.Line> all,
            DeskViews.Figures today) implements DeskFrame {
    }

    /** Before a transcript's entries: where it stands, and whether the client's place was recovered. */
    record Transcript(String conversation, long lastOffset, String epoch, Boolean recovered) implements DeskFrame {
    }

    /** A message of the transcript, at its offset. */
    record Message(String conversation, long offset, String id, String from, String role, String name, String text,
            long ts) implements DeskFrame {
    }

    /** Something that happened to the conversation, at its offset in the transcript. */
    record Event(String conversation, long offset, String event, String by, String to, Integer score, String comment,
            long ts) implements DeskFrame {
    }

    /** A conversation is no longer this agent's: closed, transferred, or back in the queue. */
    record Released(String conversation) implements DeskFrame {
    }

    /** The other side is typing. */
    record Typing(String conversation, String role, String from) implements DeskFrame {
    }

    /** The other side has read up to {@code offset}. */
    record Read(String conversation, String role, String from, long offset) implements DeskFrame {
    }

    /** Done: the client id, and the conversation (with the message's offset and id, for a message). */
    record Ack(String cid, String conversation, Long offset, String id) implements DeskFrame {
        Ack(String cid, String conversation) {
            this(cid, conversation, null, null);
        }
    }
}

package dev.switchboard.online;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;
import java.util.List;

/** What a chat connection that watches users is sent (docs/protocol.md, "Who is online"). */
@JsonbTypeInfo(key = "type", value = {
    @JsonbSubtype(alias = "watching", type = StatusFrame.Watching.class),
    @JsonbSubtype(alias = "online", type = StatusFrame.Online.class),
    @JsonbSubtype(alias = "offline", type = StatusFrame.Offline.class)})
public sealed interface StatusFrame {

    /** The answer to a {@code watch}: each watched user's status now. */
    @JsonbPropertyOrder({"cid", "users"})
    record Watching(String cid, List<UserStatus.Status> users) implements StatusFrame {
    }

    /** A watched user came online (their first chat connection on any node). */
    record Online(String user) implements StatusFrame {
    }

    /** A watched user went offline (no chat connection anywhere for the grace), last seen then. */
    @JsonbPropertyOrder({"user", "lastSeen"})
    record Offline(String user, String lastSeen) implements StatusFrame {
    }
}

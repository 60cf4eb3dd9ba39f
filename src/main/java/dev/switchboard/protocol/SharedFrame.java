package dev.switchboard.protocol;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;
import java.time.Instant;

/**
 * The frames every endpoint that speaks JSON sends alike ({@code error}, {@code pong}, {@code refreshed}),
 * kept here rather than in each feature's family because the session layer refuses frames itself and
 * knows no feature.
 */
@JsonbTypeInfo(key = "type", value = {
    @JsonbSubtype(alias = "error", type = SharedFrame.Error.class),
    @JsonbSubtype(alias = "pong", type = SharedFrame.Pong.class),
    @JsonbSubtype(alias = "refreshed", type = SharedFrame.Refreshed.class)})
public sealed interface SharedFrame {

    /**
     * A client's frame was refused ({@code code}, one of {@link ErrorCode}); the connection stays open.
     * {@code until} (ISO-8601), when given, is when what refused it ends.
     */
    record Error(String code, String message, String cid, String until) implements SharedFrame {

        public static Error of(ErrorCode code, String message) {
            return new Error(code.wireName(), message, null, null);
        }

        /** The same error, answering the frame with this client id. */
        public Error withCid(String cid) {
            return new Error(code, message, cid, until);
        }

        /** The same error, saying when what refused the frame ends (a slow mode's wait, a mute). */
        public Error until(Instant when) {
            return new Error(code, message, cid, when.toString());
        }
    }

    /** The answer to a {@code ping}, with its client id. */
    record Pong(String cid) implements SharedFrame {
    }

    /**
     * A {@code refresh} was taken: the connection's identity (or, with {@code room}, its room token's
     * rights in that room) now lasts until {@code expiresAt} (ISO-8601).
     */
    @JsonbPropertyOrder({"cid", "room", "expiresAt"})
    record Refreshed(String cid, String room, String expiresAt) implements SharedFrame {
    }
}

package dev.switchboard.proxy;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the site's back end decided: {@code allow} (a say's text perhaps edited, a connection's user info
 * perhaps given), {@code deny} with the reason the client is told, or {@code unavailable} when it could not
 * be asked and the proxy fails closed.
 *
 * @param verdict what to do
 * @param reason  a denial's reason for the client; null otherwise
 * @param text    a say's text as the back end edited it; null: as sent
 * @param info    the user's info the back end gave at connect; null: none
 */
public record ProxyAnswer(Verdict verdict, String reason, String text, JsonObject info) {

    /** What the node does with the frame. */
    public enum Verdict {
        /** Goes ahead. */
        ALLOW,
        /** Refused, with the back end's reason. */
        DENY,
        /** Refused: the back end could not be asked (no answer in time, not 2xx, not an answer), and the proxy fails closed. */
        UNAVAILABLE
    }

    /** Allowed as sent, without info. */
    public static final ProxyAnswer ALLOWED = new ProxyAnswer(Verdict.ALLOW, null, null, null);

    /** Refused because the back end could not be asked. */
    static final ProxyAnswer UNAVAILABLE = new ProxyAnswer(Verdict.UNAVAILABLE, null, null, null);

    /**
     * The answer the back end's JSON gives to a question of this type ({@code connect}, {@code join},
     * {@code say}); empty when it is none: no {@code result} of {@code allow} or {@code deny}, a field of
     * the wrong kind, or info over {@value AuthorizationProxy#MAX_INFO_BYTES} bytes. Fields a type does
     * not use are ignored. A say's edited text must be 1 to {@code maxTextBytes} bytes of UTF-8.
     */
    static Optional<ProxyAnswer> read(String type, JsonObject json, int maxTextBytes) {
        String result = text(json, "result");
        if ("deny".equals(result)) {
            String reason = text(json, "reason");
            if (reason == null || reason.isBlank()) {
                reason = AuthorizationProxy.NO_REASON;
            } else if (reason.length() > AuthorizationProxy.MAX_REASON_CHARS) {
                reason = reason.substring(0, AuthorizationProxy.MAX_REASON_CHARS);
            }
            return Optional.of(new ProxyAnswer(Verdict.DENY, reason, null, null));
        }
        if (!"allow".equals(result)) {
            return Optional.empty();
        }
        JsonValue text = type.equals("say") ? json.get("text") : null;
        JsonValue info = type.equals("connect") ? json.get("info") : null;
        if (text != null && text != JsonValue.NULL && !(text instanceof JsonString)
                || info != null && info != JsonValue.NULL && !(info instanceof JsonObject)
                || info instanceof JsonObject object && object.toString().getBytes(StandardCharsets.UTF_8).length
                        > AuthorizationProxy.MAX_INFO_BYTES
                || text instanceof JsonString edited && (edited.getString().isEmpty()
                        || edited.getString().getBytes(StandardCharsets.UTF_8).length > maxTextBytes)) {
            return Optional.empty();
        }
        if (text instanceof JsonString || info instanceof JsonObject) {
            return Optional.of(new ProxyAnswer(Verdict.ALLOW, null, text instanceof JsonString s ? s.getString() : null,
                    info instanceof JsonObject o ? o : null));
        }
        return Optional.of(ALLOWED);
    }

    private static String text(JsonObject json, String name) {
        return json.get(name) instanceof JsonString s ? s.getString() : null;
    }

    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }
}

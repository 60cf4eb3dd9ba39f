package dev.switchboard.protocol;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;

/** The close codes Switchboard sends, standard and its own (4000–4999), as listed in docs/protocol.md. */
public final class CloseCodes {

    /** 1001: the server is shutting down or the application is being undeployed. */
    public static final CloseCode GOING_AWAY = CloseReason.CloseCodes.GOING_AWAY;
    /** 1003: a frame of a kind the endpoint does not take (binary on a text-only endpoint). */
    public static final CloseCode UNSUPPORTED_DATA = CloseReason.CloseCodes.CANNOT_ACCEPT;
    /** 1008: policy violation, such as flooding on after being rate limited, or no identity. */
    public static final CloseCode POLICY_VIOLATION = CloseReason.CloseCodes.VIOLATED_POLICY;
    /** 1009: a message over the size limit. */
    public static final CloseCode TOO_BIG = CloseReason.CloseCodes.TOO_BIG;
    /** 1011: the server failed unexpectedly while serving this connection. */
    public static final CloseCode INTERNAL_ERROR = CloseReason.CloseCodes.UNEXPECTED_CONDITION;
    /** 4000: nothing, not even a pong, arrived within the idle timeout. */
    public static final CloseCode HEARTBEAT_TIMEOUT = CloseReason.CloseCodes.getCloseCode(4000);
    /** 4001: the connection did not read fast enough and its send queue overflowed. */
    public static final CloseCode SEND_QUEUE_OVERFLOW = CloseReason.CloseCodes.getCloseCode(4001);

    /** 4002: the token the connection was opened (or last refreshed) with has expired; get a new one and reconnect. */
    public static final CloseCode TOKEN_EXPIRED = CloseReason.CloseCodes.getCloseCode(4002);

    /** 1006, never sent: the connection ended without a close frame (the network, or the peer, dropped it). */
    public static final int ABNORMAL = 1006;

    /**
     * 4003: the site's back end closed this user's connections ({@code POST /api/users/{user}/disconnect});
     * do not reconnect at once.
     */
    public static final CloseCode DISCONNECTED = CloseReason.CloseCodes.getCloseCode(4003);

    /** 4004: the site's back end refused the connection as it opened (the reason is its own); do not reconnect at once. */
    public static final CloseCode CONNECT_DENIED = CloseReason.CloseCodes.getCloseCode(4004);

    /** 4005: the site's back end could not be asked whether the connection may open; reconnect with backoff. */
    public static final CloseCode BACK_END_UNAVAILABLE = CloseReason.CloseCodes.getCloseCode(4005);

    /** What a close frame's reason may hold: 125 bytes of payload less the code's two (RFC 6455 5.5). */
    static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {
    }

    public static CloseReason reason(CloseCode code, String phrase) {
        return new CloseReason(code, phrase);
    }

    /** A close with a phrase from elsewhere (the site's back end), cut to the 123 bytes of UTF-8 a close frame holds. */
    public static CloseReason cutReason(CloseCode code, String phrase) {
        StringBuilder kept = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < phrase.length(); ) {
            int point = phrase.codePointAt(i);
            int size = new String(Character.toChars(point)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_REASON_BYTES) {
                break;
            }
            kept.appendCodePoint(point);
            bytes += size;
            i += Character.charCount(point);
        }
        return new CloseReason(code, kept.toString());
    }
}

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

    private CloseCodes() {
    }

    public static CloseReason reason(CloseCode code, String phrase) {
        return new CloseReason(code, phrase);
    }
}

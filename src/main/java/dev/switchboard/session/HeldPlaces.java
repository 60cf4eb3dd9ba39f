package dev.switchboard.session;

import java.security.Principal;

/**
 * What the handshake reserved for a connection: its places under the connection limits, handed to
 * the WebSocket session as its principal. The registry holds them while the connection is open and
 * gives them back when it closes.
 */
public interface HeldPlaces extends Principal {

    /** The connection opened: the places are held until {@link #release()}. */
    void hold();

    /** The connection closed, or never opened: the places are given back; once, however often called. */
    void release();
}

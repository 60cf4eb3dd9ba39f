package dev.switchboard.security;

import java.security.Principal;
import java.time.Instant;

/**
 * The user a verified token names, handed from the handshake to the WebSocket session, with the
 * token's expiry (the connection is closed then unless the client refreshes it) and the connection
 * slot reserved for it (which the connection claims when it opens and frees when it closes).
 */
public record ChatUser(String name, Instant expiresAt, ConnectionSlots.Slot slot) implements Principal {

    @Override
    public String getName() {
        return name;
    }
}

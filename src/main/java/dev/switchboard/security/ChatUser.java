package dev.switchboard.security;

import java.time.Instant;

/**
 * The user a verified token names, handed from the handshake to the WebSocket session, with the
 * token's expiry (the connection is closed then unless the client refreshes it) and the places the
 * handshake reserved for the connection.
 */
public record ChatUser(String name, Instant expiresAt, Places places) implements AdmittedClient {

    @Override
    public String getName() {
        return name;
    }
}

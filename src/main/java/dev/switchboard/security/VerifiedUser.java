package dev.switchboard.security;

import java.time.Instant;

/**
 * The user a verified token names, handed from the handshake to the WebSocket session: their role
 * (and, for a support customer, the name and email they gave), the token's expiry (the connection is
 * closed then unless the client refreshes it) and the places the handshake reserved for the connection.
 */
public record VerifiedUser(String name, Role role, String displayName, String email, Instant expiresAt, ReservedPlaces places)
        implements AdmittedClient {

    @Override
    public String getName() {
        return name;
    }
}

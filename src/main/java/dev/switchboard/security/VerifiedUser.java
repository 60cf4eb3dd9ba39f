package dev.switchboard.security;

import java.time.Instant;
import java.util.Map;

/**
 * The user a verified token names, handed from the handshake to the WebSocket session: their role
 * (and, for a support customer, the name and email they gave), the token's expiry (the connection is
 * closed then unless the client refreshes it), the places the handshake reserved for the connection, and
 * the token's claims, for a feature that reads one of its own (chat's grants).
 */
public record VerifiedUser(String name, Role role, String displayName, String email, Instant expiresAt, ReservedPlaces places,
        Map<String, Object> claims) implements AdmittedClient {

    @Override
    public String getName() {
        return name;
    }
}

package dev.switchboard.security;

import java.security.Principal;

/**
 * The user a verified token names, handed from the handshake to the WebSocket session, with the
 * connection slot reserved for it (which the connection claims when it opens and frees when it closes).
 */
public record ChatUser(String name, ConnectionSlots.Slot slot) implements Principal {

    @Override
    public String getName() {
        return name;
    }
}

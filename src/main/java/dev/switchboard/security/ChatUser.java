package dev.switchboard.security;

import java.security.Principal;

/** The user a verified token names, handed from the handshake to the WebSocket session. */
public record ChatUser(String name) implements Principal {

    @Override
    public String getName() {
        return name;
    }
}

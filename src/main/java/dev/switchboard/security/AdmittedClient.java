package dev.switchboard.security;

import dev.switchboard.session.HeldPlaces;

/** A client the handshake let in, as the WebSocket session's principal: its places are held while it is connected. */
interface AdmittedClient extends HeldPlaces {

    ReservedPlaces places();

    @Override
    default void hold() {
        places().claim();
    }

    @Override
    default void release() {
        places().free();
    }
}

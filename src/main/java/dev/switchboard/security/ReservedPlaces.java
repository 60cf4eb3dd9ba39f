package dev.switchboard.security;

import java.util.List;

/** The places one handshake reserved (among all connections, the address's, the user's), taken and given back together. */
public record ReservedPlaces(List<ConnectionPlaces.Place> places) {

    public void claim() {
        places.forEach(ConnectionPlaces.Place::claim);
    }

    public void free() {
        places.forEach(ConnectionPlaces.Place::free);
    }
}

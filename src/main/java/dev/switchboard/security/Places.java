package dev.switchboard.security;

import java.util.List;

/** The places one handshake reserved (among all connections, the address's, the user's), taken and given back together. */
public record Places(List<ConnectionSlots.Slot> slots) {

    public void claim() {
        slots.forEach(ConnectionSlots.Slot::claim);
    }

    public void free() {
        slots.forEach(ConnectionSlots.Slot::free);
    }
}

package dev.switchboard.security;

/** A client of an endpoint without identity (echo, clock), with the places its handshake reserved. */
record Guest(ReservedPlaces places) implements AdmittedClient {

    @Override
    public String getName() {
        return "guest";
    }
}

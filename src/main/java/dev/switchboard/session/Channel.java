package dev.switchboard.session;

/** The endpoint a connection came in on. */
public enum Channel {
    /** Echoes raw frames: it has no envelope to answer a refused frame with, so it answers nothing. */
    ECHO(false),
    CLOCK(true),
    CHAT(true);

    private final boolean speaksEnvelopes;

    Channel(boolean speaksEnvelopes) {
        this.speaksEnvelopes = speaksEnvelopes;
    }

    /** Whether a refused frame is answered with an {@code error} envelope. */
    public boolean speaksEnvelopes() {
        return speaksEnvelopes;
    }
}

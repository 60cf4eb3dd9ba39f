package dev.switchboard.session;

import java.time.Duration;

/**
 * The endpoint a connection came in on, as the feature that owns it names it: the session layer
 * counts and reaches connections by channel without knowing which features there are.
 *
 * @param name            for logs and tests
 * @param speaksJson      whether a refused frame is answered with an {@code error} frame (echo speaks
 *                        no JSON to answer with, so it answers nothing)
 * @param idleTimeout     null for the server's heartbeat; otherwise the channel's connections are
 *                        pinged every tenth of the heartbeat interval and closed (4000) once silent for
 *                        this long, for connections whose loss must be noticed within seconds
 */
public record Channel(String name, boolean speaksJson, Duration idleTimeout) {

    public Channel(String name, boolean speaksJson) {
        this(name, speaksJson, null);
    }
}

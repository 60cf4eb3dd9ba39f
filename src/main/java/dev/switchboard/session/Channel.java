package dev.switchboard.session;

/**
 * The endpoint a connection came in on, as the feature that owns it names it: the session layer
 * counts and reaches connections by channel without knowing which features there are.
 *
 * @param name            for logs and tests
 * @param speaksEnvelopes whether a refused frame is answered with an {@code error} envelope (echo has
 *                        no envelope to answer with, so it answers nothing)
 */
public record Channel(String name, boolean speaksEnvelopes) {
}

package dev.switchboard.security;

/**
 * An endpoint whose handshake needs a token, as the feature that owns it declares it: the handshake
 * filter checks the origin, the token and the user's connection cap on its path, and refuses roles it
 * does not take with 403.
 */
public interface TokenGuarded {

    /** The endpoint's path in the application, e.g. {@code /ws/chat}. */
    String path();

    /** Whether a token with this role may open the endpoint. */
    boolean admits(Role role);
}

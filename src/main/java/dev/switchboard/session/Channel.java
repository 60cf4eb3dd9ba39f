package dev.switchboard.session;

/** The endpoint a connection came in on. */
public enum Channel {
    ECHO,
    CLOCK,
    CHAT
}

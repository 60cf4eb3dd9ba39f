package dev.switchboard.config;

import java.util.Locale;

/**
 * Every setting Switchboard reads: one documented name, readable as a system property
 * ({@code switchboard.idle.timeout}) or an environment variable ({@code SWITCHBOARD_IDLE_TIMEOUT}).
 */
public enum Setting {
    /** How often the server sends a WebSocket ping to every connection. */
    HEARTBEAT_INTERVAL("switchboard.heartbeat.interval", "25s"),
    /** A connection that sends nothing, not even a pong, for this long is closed with 4000. */
    IDLE_TIMEOUT("switchboard.idle.timeout", "60s"),
    /** Largest accepted message in bytes; a larger one closes the connection with 1009. */
    MESSAGE_MAX_BYTES("switchboard.message.max-bytes", "65536"),
    /** Frames waiting to be written to one connection; one more closes it with 4001. */
    SEND_QUEUE_LIMIT("switchboard.send.queue.limit", "256");

    private final String property;
    private final String defaultValue;

    Setting(String property, String defaultValue) {
        this.property = property;
        this.defaultValue = defaultValue;
    }

    /** The system property name. */
    public String property() {
        return property;
    }

    /** The environment variable name: the property upper-cased, dots and dashes made underscores. */
    public String environmentVariable() {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String defaultValue() {
        return defaultValue;
    }
}

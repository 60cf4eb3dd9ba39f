package dev.switchboard.reply;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Acknowledgements;
import dev.switchboard.protocol.RefusalLog;
import dev.switchboard.session.SessionRegistry;

/** Replies as the server wires them, for unit tests of the features that answer clients. */
public final class TestReplies {

    private TestReplies() {
    }

    /** Replies through {@code registry}, with client ids claimed in {@code acks} and rate limits from {@code config}. */
    public static Replies replies(SessionRegistry registry, Acknowledgements acks, SwitchboardConfig config) {
        RateLimits rateLimits = new RateLimits();
        rateLimits.config = config;
        rateLimits.readSettings();
        Replies replies = new Replies();
        replies.registry = registry;
        replies.acks = acks;
        replies.rateLimits = rateLimits;
        replies.refusals = new RefusalLog();
        return replies;
    }
}

package dev.switchboard.api;

import dev.switchboard.engine.Bus;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.session.Connection;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.stream.Streams;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Closes every connection of a user, on every node, with 4003 ({@code POST /api/users/{user}/disconnect}):
 * the node that takes the request signals the others, and each closes its own.
 */
@ApplicationScoped
public class Disconnects {

    private static final Logger LOG = Logger.getLogger(Disconnects.class.getName());
    static final String TOPIC = "api:disconnect";

    @Inject
    Streams streams;

    @Inject
    Bus bus;

    @Inject
    SessionRegistry registry;

    @PostConstruct
    void listen() {
        streams.hear(TOPIC, new Streams.TopicListener() {
            @Override
            public void signal(String user) {
                closeHere(user);
            }

            @Override
            public void mayHaveMissed() {
                // A disconnect missed while Redis was away is not done again: the back end can repeat it.
            }
        });
    }

    /** Listening from the start, not from the first request. */
    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // Observing is enough: listen() has run.
    }

    /** Tells every node (this one included) to close the user's connections. */
    public void disconnect(String user) {
        bus.signal(TOPIC, user, null);
    }

    /** Closes the user's connections on this node; how many. */
    int closeHere(String user) {
        int closed = 0;
        for (Connection connection : registry.connections()) {
            if (user.equals(connection.user()) && !connection.isClosed()) {
                connection.close(CloseCodes.reason(CloseCodes.DISCONNECTED, "Disconnected by the server"));
                closed++;
            }
        }
        if (closed > 0) {
            int count = closed;
            LOG.info(() -> "Closed " + count + " connection(s) of user " + user + " (4003): asked through the server API");
        }
        return closed;
    }
}

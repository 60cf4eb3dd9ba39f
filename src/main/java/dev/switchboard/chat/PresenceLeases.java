package dev.switchboard.chat;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Presence;
import dev.switchboard.security.Names;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps this node's presence alive and clears out that of nodes that died: every third of
 * {@code switchboard.presence.lease}, the lease is renewed and dead nodes are swept; their users' leaves
 * are announced to the rooms as any leave is. With one node in memory both are no-ops.
 */
@ApplicationScoped
public class PresenceLeases {

    private static final Logger LOG = Logger.getLogger(PresenceLeases.class.getName());

    @Inject
    Presence presence;

    @Inject
    PresenceAnnouncer announcer;

    @Inject
    ServerExecutors executors;

    @Inject
    SwitchboardConfig config;

    private ScheduledFuture<?> task;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        long every = Math.max(100, config.duration(Setting.PRESENCE_LEASE).toMillis() / 3);
        task = executors.scheduler().scheduleAtFixedRate(this::renewAndSweep, every, every, TimeUnit.MILLISECONDS);
    }

    void renewAndSweep() {
        try {
            presence.renew();
            for (Presence.Left left : presence.sweep()) {
                if (Names.isRoom(left.room())) { // not a user's online mark
                    LOG.fine(() -> left.user() + " left " + left.room() + " with a node that died");
                    announcer.left(left.room(), left.user());
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Renewing the presence lease of this node failed ({0}); trying again", e.toString());
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}

package dev.switchboard.chat;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Presence;
import dev.switchboard.online.RoomOccupancy;
import dev.switchboard.online.UserStatus;
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
 * {@code switchboard.presence.lease}, on the work pool, the lease is renewed and dead nodes are swept;
 * their users' leaves are announced to the rooms as any leave is. With one node in memory both are no-ops.
 */
@ApplicationScoped
public class PresenceLeases {

    private static final Logger LOG = Logger.getLogger(PresenceLeases.class.getName());

    @Inject
    Presence presence;

    @Inject
    PresenceAnnouncer announcer;

    @Inject
    UserStatus status;

    @Inject
    RoomOccupancy occupancy;

    @Inject
    ServerExecutors executors;

    @Inject
    SwitchboardConfig config;

    private ScheduledFuture<?> task;
    private long leaseNanos;
    /** This node could not renew its own lease last time: it was cut off from the store, as others may have been. */
    private volatile boolean cutOff;
    /** No sweeping before this (System.nanoTime()): the others get a whole lease to renew after a cut-off. */
    private volatile long sweepFrom;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        leaseNanos = config.duration(Setting.PRESENCE_LEASE).toNanos();
        sweepFrom = System.nanoTime();
        long every = Math.max(100, TimeUnit.NANOSECONDS.toMillis(leaseNanos) / 3);
        task = executors.every("Renewing this node's presence lease", this::renewAndSweep, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Renews this node's lease, then sweeps nodes whose lease ran out. After this node was cut off from
     * the store (a stalled or restarted Redis) every lease may have run out meanwhile, its own included:
     * it then waits a whole lease, so that nodes that are alive renew theirs, before judging anyone dead.
     */
    void renewAndSweep() {
        try {
            presence.renew();
        } catch (RuntimeException e) {
            cutOff = true;
            LOG.log(Level.WARNING, "Renewing the presence lease of this node failed ({0}); trying again", e.toString());
            return;
        }
        if (cutOff) {
            cutOff = false;
            sweepFrom = System.nanoTime() + leaseNanos;
        }
        if (System.nanoTime() - sweepFrom < 0) {
            return;
        }
        try {
            for (Presence.Left left : presence.sweep()) {
                if (Names.isRoom(left.room())) {
                    LOG.fine(() -> left.user() + " left " + left.room() + " with a node that died");
                    announcer.left(left.room(), left.user());
                    occupancy.left(left.room());
                } else {
                    UserStatus.userOf(left.room()).ifPresent(status::leftWithANode); // their last chat connection
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Sweeping the presence of dead nodes failed ({0}); trying again", e.toString());
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}

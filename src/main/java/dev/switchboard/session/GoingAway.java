package dev.switchboard.session;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Tells every connection that the server is going away (1001) before the container stops: readiness
 * answers 503 first, for {@code switchboard.shutdown.unready-first}, so load balancers stop sending new
 * clients here; then connections get 1001 in paced batches over {@code switchboard.shutdown.drain}, so
 * that thousands of clients do not reconnect in the same second. Runs once, on whichever comes first:
 * SIGTERM ({@link SigtermListener}) or the application ending (undeploy, or a server stopped another way),
 * as its beans are about to go, while they still work.
 */
@ApplicationScoped
public class GoingAway {

    private static final Logger LOG = Logger.getLogger(GoingAway.class.getName());

    @Inject
    SessionRegistry registry;

    @Inject
    SwitchboardConfig config;

    private long drainMillis;
    private long unreadyFirstMillis;
    private boolean drained;

    @PostConstruct
    void readSettings() {
        drainMillis = config.duration(Setting.SHUTDOWN_DRAIN).toMillis();
        unreadyFirstMillis = config.duration(Setting.SHUTDOWN_UNREADY_FIRST).toMillis();
    }

    /** Made at start: a bad setting stops the deployment, not the shutdown. */
    void atStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // Observing is enough: readSettings() has run.
    }

    void beforeUndeploy(@Observes @BeforeDestroyed(ApplicationScoped.class) Object applicationEnding) {
        drain();
    }

    /** Drains once; a second caller (a second SIGTERM, the undeploy after it) waits for the first to finish. */
    public synchronized void drain() {
        if (drained) {
            return;
        }
        drained = true;
        LOG.info(() -> "Going away: not ready from now; connections get 1001 in " + unreadyFirstMillis + " ms, over "
                + drainMillis + " ms");
        int told = registry.closeAllGoingAway(unreadyFirstMillis, drainMillis);
        LOG.info(() -> "Told " + told + " connections the server is going away (1001)");
    }
}

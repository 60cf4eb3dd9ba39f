package dev.switchboard.session;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells every connection that the server is going away (1001) before the container stops: readiness
 * answers 503 first, for {@code switchboard.shutdown.unready-first}, so load balancers stop sending new
 * clients here; then connections get 1001 in paced batches over {@code switchboard.shutdown.drain}, so that thousands of clients do not reconnect in the
 * same second. Runs once, on whichever comes first: SIGTERM or the application being undeployed.
 *
 * <p>SIGTERM is caught ahead of the JVM's shutdown hooks ({@link SigtermHandler}): a server's own hook (Payara Micro's) drops
 * every connection within 0.1 s, and hooks run all at once, so a hook of ours would race it and lose
 * (seen: 189 of 200 clients got 1006). The handler drains, then hands the signal to the handler it
 * replaced, and the server shuts down as it always does. Undeploying puts that handler back.
 */
@WebListener
public class GoingAway implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(GoingAway.class.getName());

    @Inject
    SessionRegistry registry;

    @Inject
    SwitchboardConfig config;

    private SigtermHandler sigterm;
    private long drainMillis;
    private long unreadyFirstMillis;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        drainMillis = config.duration(Setting.SHUTDOWN_DRAIN).toMillis(); // read now: a bad value stops the start
        unreadyFirstMillis = config.duration(Setting.SHUTDOWN_UNREADY_FIRST).toMillis();
        try {
            sigterm = SigtermHandler.install(this::drain);
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError notAllowed) {
            // -Xrs, no SIGTERM on this platform, or sun.misc hidden by the server: undeploying still drains.
            LOG.log(Level.INFO, "SIGTERM cannot be caught here; connections get 1001 on undeploy only", notAllowed);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (sigterm != null) {
            sigterm.uninstall();
        }
        drain();
    }

    private void drain() {
        if (registry.goingAway()) {
            return; // SIGTERM drained already; this is the undeploy that follows
        }
        LOG.info(() -> "Going away: not ready from now; connections get 1001 in " + unreadyFirstMillis + " ms, over "
                + drainMillis + " ms");
        int told = registry.closeAllGoingAway(unreadyFirstMillis, drainMillis);
        LOG.info(() -> "Told " + told + " connections the server is going away (1001)");
    }
}

package dev.switchboard.config;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The scheduler every timed task runs on: the server's default ManagedScheduledExecutorService,
 * or, where a server has none (plain Tomcat), a small executor of our own that we shut down.
 */
@ApplicationScoped
public class ServerExecutors {

    static final String DEFAULT_MANAGED_SCHEDULER = "java:comp/DefaultManagedScheduledExecutorService";
    private static final Logger LOG = Logger.getLogger(ServerExecutors.class.getName());

    private ScheduledExecutorService scheduler;
    private boolean ownScheduler;

    /** The scheduler; looked up once, on first use. */
    public synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            try {
                scheduler = (ScheduledExecutorService) new InitialContext().lookup(DEFAULT_MANAGED_SCHEDULER);
            } catch (NamingException | ClassCastException e) {
                LOG.info(() -> "No " + DEFAULT_MANAGED_SCHEDULER + " (" + e + "); using Switchboard's own scheduler");
                ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(2, r -> {
                    Thread t = new Thread(r, "switchboard-scheduler");
                    t.setDaemon(true);
                    return t;
                });
                own.setRemoveOnCancelPolicy(true);
                scheduler = own;
                ownScheduler = true;
            }
        }
        return scheduler;
    }

    /** Only our own executor is shut down: servers forbid shutting down a managed one. */
    @PreDestroy
    synchronized void shutdownOwnScheduler() {
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
    }
}

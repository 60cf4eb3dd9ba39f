package dev.switchboard.config;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.server.ServerContainer;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives Tyrus (Payara's WebSocket engine) a plain scheduler for its per-session idle timer.
 *
 * <p>Tyrus 2.1 re-arms a session's idle-timeout task on every frame received and every frame sent
 * (eclipse-ee4j/tyrus#787), on the server's default ManagedScheduledExecutorService. Payara's managed
 * executor captures the thread context for each task by scanning the class path with a ServiceLoader,
 * which cost 80 % of the server's CPU under load (JFR: {@code TyrusSession.restartIdleTimeoutExecutor}
 * → {@code ContextSetupProviderImpl.saveContext} → {@code WebappClassLoader.getResources}). The idle
 * timer needs no application context, so before any session opens this swaps Tyrus's scheduler for
 * one thread of our own, with cancelled timers removed at once. On WildFly and Tomcat the WebSocket
 * container is not Tyrus and nothing changes.
 *
 * <p>It also sets every container's default session idle timeout to ours, before any session opens. A
 * Tyrus session born with none (0) schedules an idle check to run at once; if that check starts just
 * after {@code SessionRegistry} set the session's real timeout, it sees a positive timeout and closes the
 * brand-new session with 1000 "closed by the container because of the idle timeout". One in 310 clock
 * subscribers opened together was lost this way in tests, and a fan-out subscriber in the benchmark.
 */
@WebListener
public class TyrusIdleTimerScheduler implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(TyrusIdleTimerScheduler.class.getName());
    static final String TYRUS_BASE_CONTAINER = "org.glassfish.tyrus.core.BaseContainer";
    static final String MANAGED_SCHEDULER_FIELD = "managedScheduledExecutorService";

    private ScheduledThreadPoolExecutor ownScheduler;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Object container = context.getAttribute(ServerContainer.class.getName());
        if (container instanceof ServerContainer server) {
            server.setDefaultMaxSessionIdleTimeout(new SwitchboardConfig().containerIdleTimeoutMillis());
        }
        Field field = managedSchedulerField(container);
        if (field == null) {
            return;
        }
        try {
            field.setAccessible(true);
            if (field.get(container) == null) {
                return; // Tyrus found no managed scheduler and already uses a plain one
            }
            ownScheduler = newScheduler();
            field.set(container, ownScheduler);
            LOG.info("Tyrus idle timers run on Switchboard's own scheduler, not the managed one"
                    + " (one context capture per frame otherwise; see README, Servers)");
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not give Tyrus a plain idle-timer scheduler; every frame will"
                    + " schedule a task on the managed executor, which is slow on Payara", e);
            if (ownScheduler != null) {
                ownScheduler.shutdownNow();
                ownScheduler = null;
            }
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (ownScheduler != null) {
            // Sessions still closing may re-arm a timer: the discard policy makes that a no-op.
            ownScheduler.shutdownNow();
        }
    }

    /** Tyrus's private field holding the managed scheduler, or null when the container is not Tyrus. */
    static Field managedSchedulerField(Object container) {
        for (Class<?> type = container == null ? null : container.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(TYRUS_BASE_CONTAINER)) {
                try {
                    Field field = type.getDeclaredField(MANAGED_SCHEDULER_FIELD);
                    return ScheduledExecutorService.class.isAssignableFrom(field.getType()) ? field : null;
                } catch (NoSuchFieldException changedTyrus) {
                    LOG.warning(() -> "This Tyrus has no field " + MANAGED_SCHEDULER_FIELD
                            + "; its idle timers stay on the managed scheduler");
                    return null;
                }
            }
        }
        return null;
    }

    static ScheduledThreadPoolExecutor newScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "switchboard-tyrus-idle-timer");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }
}

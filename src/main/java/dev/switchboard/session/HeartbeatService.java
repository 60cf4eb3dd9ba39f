package dev.switchboard.session;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.protocol.CloseCodes;
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
 * Pings every connection at the heartbeat interval and closes, with 4000, any connection that has
 * sent nothing (not even a pong) for the idle timeout.
 */
@ApplicationScoped
public class HeartbeatService {

    private static final Logger LOG = Logger.getLogger(HeartbeatService.class.getName());

    @Inject
    SessionRegistry registry;

    @Inject
    SwitchboardConfig config;

    @Inject
    ServerExecutors executors;

    private ScheduledFuture<?> beating;
    private long idleTimeoutNanos;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        long intervalMillis = config.duration(Setting.HEARTBEAT_INTERVAL).toMillis();
        idleTimeoutNanos = config.duration(Setting.IDLE_TIMEOUT).toNanos();
        beating = executors.scheduler().scheduleAtFixedRate(this::beat, intervalMillis, intervalMillis,
                TimeUnit.MILLISECONDS);
    }

    /** Closes silent connections and pings the rest. */
    void beat() {
        try {
            long now = System.nanoTime();
            for (Connection connection : registry.connections()) {
                if (connection.silentForNanos(now) > idleTimeoutNanos) {
                    LOG.fine(() -> "Session " + connection.id() + " silent past the idle timeout; closing it with 4000");
                    connection.close(CloseCodes.reason(CloseCodes.HEARTBEAT_TIMEOUT, "No answer to heartbeat"));
                } else {
                    connection.send(new Frame.Ping());
                }
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log and keep beating.
            LOG.log(Level.WARNING, "Heartbeat round failed", e);
        }
    }

    @PreDestroy
    void stop() {
        if (beating != null) {
            beating.cancel(false);
        }
    }
}

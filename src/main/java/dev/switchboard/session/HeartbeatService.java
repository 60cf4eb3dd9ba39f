package dev.switchboard.session;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.protocol.CloseCodes;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Pings every connection once per heartbeat interval and closes, with 4000, any connection that has
 * sent nothing (not even a pong) for the idle timeout; closes, with 4002, any whose token has expired
 * (checked every slice, so within a tenth of the interval). Connections are spread over {@value #SLICES}
 * slices of the interval, so thousands of pongs do not come back in one burst; those of a channel
 * with an idle timeout of its own are pinged every slice and closed once silent for that long.
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

    @Inject
    MeterRegistry meters;

    /** Frames waiting in each connection's send queue, sampled as it is pinged: how far behind writing is. */
    private DistributionSummary waiting;

    static final int SLICES = 10;

    private ScheduledFuture<?> beating;
    private long idleTimeoutNanos;
    private int slice;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        long sliceMillis = Math.max(1, config.duration(Setting.HEARTBEAT_INTERVAL).toMillis() / SLICES);
        idleTimeoutNanos = config.duration(Setting.IDLE_TIMEOUT).toNanos();
        waiting = DistributionSummary.builder("switchboard.send.queue.waiting")
                .description("Frames waiting in a connection's send queue, sampled at each heartbeat ping")
                .publishPercentiles(0.5, 0.99).register(meters);
        beating = executors.timer().scheduleAtFixedRate(this::beat, sliceMillis, sliceMillis,
                TimeUnit.MILLISECONDS);
    }

    /** Closes this slice's silent connections and pings the rest of it. */
    void beat() {
        try {
            long now = System.nanoTime();
            long nowMillis = System.currentTimeMillis();
            slice = (slice + 1) % SLICES;
            for (Connection connection : registry.connections()) {
                if (connection.identityExpired(nowMillis)) {
                    LOG.fine(() -> "Session " + connection.id() + " outlived its token; closing it with 4002");
                    connection.close(CloseCodes.reason(CloseCodes.TOKEN_EXPIRED, "Token expired"));
                    continue;
                }
                Duration own = connection.channel().idleTimeout();
                if (own == null && Math.floorMod(connection.id().hashCode(), SLICES) != slice) {
                    continue; // watched closely (a channel of its own): every slice; the rest: one slice in ten
                }
                if (connection.silentForNanos(now) > (own == null ? idleTimeoutNanos : own.toNanos())) {
                    LOG.fine(() -> "Session " + connection.id() + " silent past the idle timeout; closing it with 4000");
                    connection.close(CloseCodes.reason(CloseCodes.HEARTBEAT_TIMEOUT, "No answer to heartbeat"));
                } else {
                    waiting.record(connection.sender().waiting());
                    connection.send(Frame.Ping.probe());
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

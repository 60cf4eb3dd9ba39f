package dev.switchboard.clock;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.session.Channel;
import dev.switchboard.session.Frame;
import dev.switchboard.session.SessionRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One ticker for all clock subscribers: on every wall-clock second it builds the tick's JSON once
 * and queues it on each subscriber's sender, so a slow subscriber delays nobody.
 */
@ApplicationScoped
public class ClockTicker {

    /** The clock's connections, which every tick reaches. */
    public static final Channel CHANNEL = new Channel("clock", true);

    private static final Logger LOG = Logger.getLogger(ClockTicker.class.getName());
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy.MM.dd HH:mm:ss");

    @Inject
    SessionRegistry registry;

    @Inject
    ServerExecutors executors;

    /** Held while a tick is delivered and while a subscriber joins, so no one misses or repeats a second. */
    private final Object delivery = new Object();
    private Instant lastAnnounced = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private ScheduledFuture<?> nextTick;
    private boolean running;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        synchronized (this) {
            running = true;
        }
        scheduleAfter(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * Subscribes a session: it gets the last announced second at once, then every following tick.
     */
    public void subscribe(Session session) {
        synchronized (delivery) {
            registry.register(session, CHANNEL, new Frame.Text(tickFor(lastAnnounced)));
        }
    }

    static String tickFor(Instant second) {
        return FrameCodec.toJson(new ClockTick(FORMAT.format(LocalDateTime.ofInstant(second, ZoneId.systemDefault()))));
    }

    /** Each tick schedules the next one for the following wall-clock second, so ticks never drift. */
    private synchronized void scheduleAfter(Instant second) {
        if (!running) {
            return;
        }
        Instant target = second.plusSeconds(1);
        long delay = Math.max(0, target.toEpochMilli() - System.currentTimeMillis());
        nextTick = executors.timer().schedule(() -> tick(target), delay, TimeUnit.MILLISECONDS);
    }

    private void tick(Instant second) {
        try {
            synchronized (delivery) {
                lastAnnounced = second;
                if (registry.count(CHANNEL) > 0) {
                    // Delivery only queues on each subscriber's sender, so holding the lock is brief.
                    registry.deliverToChannel(CHANNEL, tickFor(second));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Clock tick " + second + " failed", e);
        } finally {
            scheduleAfter(second);
        }
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        if (nextTick != null) {
            nextTick.cancel(false);
        }
    }

    /** True once stopped and no tick is pending. */
    synchronized boolean isStopped() {
        return !running && (nextTick == null || nextTick.isDone());
    }
}

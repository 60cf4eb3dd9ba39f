package dev.switchboard.online;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Documents;
import dev.switchboard.engine.Engine;
import dev.switchboard.engine.Presence;
import dev.switchboard.webhooks.Webhooks;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether rooms have anyone in them, for the webhooks' {@code room.occupied} and {@code room.vacated}:
 * occupied with its first member on any node, vacated after the offline grace with nobody in it. Only
 * kept while those events are sent: otherwise a join costs nothing more.
 */
@ApplicationScoped
public class RoomOccupancy {

    /** The hold set of rooms whose grace runs. */
    static final String DEADLINES = "status:room";

    /** What the events carry. */
    public record Room(String room) {
    }

    @Inject
    Presence presence;

    @Inject
    Documents documents;

    @Inject
    Engine engine;

    @Inject
    Webhooks webhooks;

    @Inject
    ServerExecutors executors;

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private Lingering rooms;
    private boolean told;
    private ScheduledFuture<?> settling;

    @PostConstruct
    void readSettings() {
        told = webhooks.wants("room.occupied") || webhooks.wants("room.vacated");
        rooms = new Lingering("room", documents, engine.holds(DEADLINES), clock,
                config.duration(Setting.WEBHOOKS_OFFLINE_GRACE).toMillis(), room -> presence.count(room) > 0, new Lingering.Told() {
                    @Override
                    public void came(String room, Lingering.State state) {
                        webhooks.emit("room.occupied", new Room(room));
                    }

                    @Override
                    public void went(String room, Lingering.State state) {
                        webhooks.emit("room.vacated", new Room(room));
                    }
                });
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (told) {
            settling = executors.every("Telling which rooms were vacated", rooms::settle, UserStatus.SETTLE_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (settling != null) {
            settling.cancel(false);
        }
    }

    /** A user became a member of the room. */
    public void joined(String room) {
        if (told) {
            rooms.came(room);
        }
    }

    /** A user's last connection left the room (from a node, or with a node that died). */
    public void left(String room) {
        if (told) {
            rooms.went(room);
        }
    }
}

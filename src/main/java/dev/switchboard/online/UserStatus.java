package dev.switchboard.online;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Documents;
import dev.switchboard.engine.Engine;
import dev.switchboard.engine.Presence;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.webhooks.Webhooks;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether each chat user is online, the same on every node. Presence counts a user's chat connections
 * on every node under a topic of its own ({@code @alice}: '@' is in no room's name). Their first one
 * makes them online at once; their last one gone, from its node or with a node that died (the presence
 * lease finds it), makes them offline once {@code switchboard.webhooks.offline-grace} has passed
 * without a new one. Each change is decided by one node, which tells the webhooks and every node's
 * watchers.
 */
@ApplicationScoped
public class UserStatus {

    /** The signal topic every node hears, on which changes reach the watchers. */
    static final String CHANGES = "status:users";
    /** The hold set of users whose grace runs. */
    static final String DEADLINES = "status:user";
    /** How often each node looks for graces that ran out. */
    static final long SETTLE_MILLIS = 1000;

    /** A change as it reaches every node's watchers. */
    public record Change(String user, boolean online, String lastSeen) {
    }

    /** What the status API and the {@code watching} frame say of a user: online, or when last seen (unknown: null). */
    public record Status(String user, boolean online, String lastSeen) {
    }

    /** What webhook events carry. */
    public record Online(String user) {
    }

    public record Offline(String user, String lastSeen) {
    }

    @Inject
    Presence presence;

    @Inject
    Documents documents;

    @Inject
    Engine engine;

    @Inject
    Bus bus;

    @Inject
    Webhooks webhooks;

    @Inject
    ServerExecutors executors;

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private Lingering users;
    private ScheduledFuture<?> settling;

    @PostConstruct
    void readSettings() {
        users = new Lingering("user", documents, engine.holds(DEADLINES), clock,
                config.duration(Setting.WEBHOOKS_OFFLINE_GRACE).toMillis(), this::connectedSomewhere, new Lingering.Told() {
                    @Override
                    public void came(String user, Lingering.State state) {
                        webhooks.emit("user.online", new Online(user));
                        bus.signal(CHANGES, FrameCodec.toJson(new Change(user, true, null)), null);
                    }

                    @Override
                    public void went(String user, Lingering.State state) {
                        String lastSeen = Instant.ofEpochMilli(state.lastSeen()).toString();
                        webhooks.emit("user.offline", new Offline(user, lastSeen));
                        bus.signal(CHANGES, FrameCodec.toJson(new Change(user, false, lastSeen)), null);
                    }
                });
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        settling = executors.every("Telling who went offline", this::settle, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** One round of telling who went offline (the server runs one every {@value #SETTLE_MILLIS} ms). */
    int settle() {
        return users.settle();
    }

    @PreDestroy
    void stop() {
        if (settling != null) {
            settling.cancel(false);
        }
    }

    /** The presence topic of a user's chat connections. */
    private static String topicOf(String user) {
        return "@" + user;
    }

    /** The user of a presence topic, if it is one of ours (a node that died had it). */
    public static Optional<String> userOf(String presenceTopic) {
        return presenceTopic.startsWith("@") ? Optional.of(presenceTopic.substring(1)) : Optional.empty();
    }

    /** A chat connection of the user opened: it counts from now. */
    public void connected(String user, String connectionId) {
        if (presence.enter(topicOf(user), user, connectionId)) {
            users.came(user);
        }
    }

    /** A chat connection of the user closed (safe to repeat). */
    public void disconnected(String user, String connectionId) {
        if (presence.exit(topicOf(user), user, connectionId) || !connectedSomewhere(user)) {
            users.went(user);
        }
    }

    /** The user's last connection was on a node that died: the sweep took it out of presence. */
    public void leftWithANode(String user) {
        users.went(user);
    }

    /** Whether the user has a chat connection on some node now (no grace: for whether a whisper is delivered). */
    public boolean connectedSomewhere(String user) {
        return presence.count(topicOf(user)) > 0;
    }

    /** Online as told (with the grace), and when last seen when offline. */
    public Status of(String user) {
        return users.state(user).map(s -> new Status(user, s.here(),
                s.here() || s.lastSeen() == 0 ? null : Instant.ofEpochMilli(s.lastSeen()).toString()))
                .orElse(new Status(user, false, null));
    }
}

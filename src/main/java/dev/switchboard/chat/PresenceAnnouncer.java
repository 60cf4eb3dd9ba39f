package dev.switchboard.chat;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Presence;
import dev.switchboard.protocol.FrameCodec;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells a room's members who joined and left, in one {@code presence} frame per room per interval.
 * Announcing each change at once costs a room of n members n² frames while it fills up; gathered,
 * 1,000 joins within a second cost a few frames per member. A user who leaves and comes back within
 * the interval (a reconnect) is no news at all. Quiet rooms announce nothing.
 *
 * <p>Names still cost n² bytes: every joiner's name reaches every member (10,000 joins to a room of
 * 10,000 made 1 GB of presence). A room with more members than are listed by name in {@code joined}
 * is told only its count, and at most once every {@value #BIG_ROOM_INTERVALS} intervals.
 */
@ApplicationScoped
public class PresenceAnnouncer {

    private static final Logger LOG = Logger.getLogger(PresenceAnnouncer.class.getName());
    /** How many intervals a room too big to list by name waits between two presence frames. */
    static final int BIG_ROOM_INTERVALS = 8;
    /** The quiet-rooms value that makes every room announce joins and leaves. */
    static final String NONE = "none";

    @Inject
    Bus bus;

    @Inject
    Presence presence;

    @Inject
    ServerExecutors executors;

    @Inject
    SwitchboardConfig config;

    @Inject
    Namespaces namespaces;

    private long intervalMillis;
    private int listMax;
    private List<String> quietNames;
    private List<String> quietPrefixes;
    private RoomBatches<Changes> pending;

    /** A room's joins and leaves not yet announced, and the joiners' info. */
    private static final class Changes {
        final Set<String> joins = new LinkedHashSet<>();
        final Set<String> leaves = new LinkedHashSet<>();
        final Map<String, JsonObject> info = new HashMap<>();
    }

    @PostConstruct
    void readSettings() {
        intervalMillis = config.duration(Setting.PRESENCE_INTERVAL).toMillis();
        listMax = config.positiveInt(Setting.PRESENCE_LIST_MAX);
        String setting = config.text(Setting.PRESENCE_QUIET_ROOMS);
        List<String> quiet = setting.equals(NONE) ? List.of() : Arrays.stream(setting.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        quietPrefixes = quiet.stream().filter(s -> s.endsWith("*")).map(s -> s.substring(0, s.length() - 1)).toList();
        quietNames = quiet.stream().filter(s -> !s.endsWith("*")).toList();
        pending = new RoomBatches<>(executors, Changes::new, this::delayMillis, this::announce);
    }

    /**
     * Whether the room's members are told of joins and leaves: as its namespace says, or when the namespace
     * does not say, unless {@code switchboard.presence.quiet-rooms} names the room.
     */
    public boolean announces(String room) {
        boolean quiet = quietNames.contains(room) || quietPrefixes.stream().anyMatch(room::startsWith);
        return namespaces.rulesOf(room).map(rules -> rules.announcesJoins(!quiet)).orElse(false);
    }

    /** The user became a member of the room. */
    public void joined(String room, String user) {
        joined(room, user, null);
    }

    /** The user became a member of the room, with the info the site's back end gave of them (null: none). */
    public void joined(String room, String user, JsonObject info) {
        change(room, user, true, info);
    }

    /** The user's last connection left the room. */
    public void left(String room, String user) {
        change(room, user, false, null);
    }

    private void change(String room, String user, boolean joined, JsonObject info) {
        if (!announces(room)) {
            return;
        }
        pending.add(room, changes -> {
            if (info != null) {
                changes.info.put(user, info);
            }
            Set<String> same = joined ? changes.joins : changes.leaves;
            Set<String> opposite = joined ? changes.leaves : changes.joins;
            if (!opposite.remove(user)) {
                same.add(user);
            }
        });
    }

    /** A room too big to list by name waits longer; one whose size cannot be read now, the usual interval. */
    private long delayMillis(String room) {
        try {
            return presence.count(room) > listMax ? BIG_ROOM_INTERVALS * intervalMillis : intervalMillis;
        } catch (EngineUnavailable e) {
            return intervalMillis;
        }
    }

    /** Announces what changed in the room since the last frame, if anything still differs. */
    void flush(String room) {
        pending.tell(room);
    }

    private void announce(String room, Changes changes) {
        try {
            if (changes.joins.isEmpty() && changes.leaves.isEmpty()) {
                return;
            }
            JsonObjectBuilder info = Json.createObjectBuilder();
            changes.joins.stream().filter(changes.info::containsKey).forEach(user -> info.add(user, changes.info.get(user)));
            int count = presence.count(room);
            boolean named = count <= listMax; // big rooms are told only their count
            JsonObject joinersInfo = info.build();
            ChatFrame frame = new ChatFrame.Presence(room, count, named ? List.copyOf(changes.joins) : null,
                    named ? List.copyOf(changes.leaves) : null, named && !joinersInfo.isEmpty() ? joinersInfo : null);
            bus.signal(Rooms.logOf(room), FrameCodec.toJson(frame), null);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Announcing presence in room " + room + " failed");
        }
    }
}

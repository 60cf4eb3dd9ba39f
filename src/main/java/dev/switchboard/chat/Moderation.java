package dev.switchboard.chat;

import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Documents;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.stream.Streams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * A room's moderation, the same on every node: who is muted and who is banned there, until when, and a
 * slow mode set on the room itself. The state is one small document per room in the engine, changed by
 * compare and set; what must happen to connections at once (a banned user's tabs leave the room, a muted
 * user is told) is signalled to every node, and each acts on its own connections.
 */
@ApplicationScoped
public class Moderation {

    private static final Logger LOG = Logger.getLogger(Moderation.class.getName());
    private static final String PREFIX = "moderation:";
    /** Every node hears what moderators did, whichever node they did it on. */
    static final String TOPIC = "chat:moderation";
    /** The longest mute, ban or slow mode interval that may be given; longer is refused, none given is no end. */
    public static final Duration LONGEST = Duration.ofDays(3650);
    /** Written for a mute or ban with no end. */
    static final long FOREVER = Long.MAX_VALUE;

    /** What moderators may do. */
    public enum Action {
        MUTE, UNMUTE, BAN, UNBAN, SLOW_MODE, DELETE;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** As a log line says it. */
        String done() {
            return switch (this) {
                case MUTE -> "muted";
                case UNMUTE -> "unmuted";
                case BAN -> "banned";
                case UNBAN -> "unbanned";
                case SLOW_MODE -> "set slow mode";
                case DELETE -> "deleted";
            };
        }
    }

    /**
     * A room's moderation as the engine keeps it: users muted and banned, each until a time (epoch ms;
     * {@link #FOREVER} for no end), and the room's own slow mode in ms (null: its namespace's).
     */
    public record State(Map<String, Long> mutes, Map<String, Long> bans, Long slowModeMillis) {
        static final State NONE = new State(Map.of(), Map.of(), null);

        public State {
            mutes = mutes == null ? Map.of() : Map.copyOf(mutes);
            bans = bans == null ? Map.of() : Map.copyOf(bans);
        }

        /** When the user's mute ends, if it has not yet. */
        Optional<Instant> mutedUntil(String user, long nowMillis) {
            return until(mutes, user, nowMillis);
        }

        /** When the user's ban ends, if it has not yet. */
        Optional<Instant> bannedUntil(String user, long nowMillis) {
            return until(bans, user, nowMillis);
        }

        private static Optional<Instant> until(Map<String, Long> entries, String user, long nowMillis) {
            Long until = entries.get(user);
            return until == null || until <= nowMillis ? Optional.empty() : Optional.of(Instant.ofEpochMilli(until));
        }

        /** The same state without entries that have ended. */
        State current(long nowMillis) {
            return new State(live(mutes, nowMillis), live(bans, nowMillis), slowModeMillis);
        }

        private static Map<String, Long> live(Map<String, Long> entries, long nowMillis) {
            Map<String, Long> kept = new TreeMap<>();
            entries.forEach((user, until) -> {
                if (until > nowMillis) {
                    kept.put(user, until);
                }
            });
            return kept;
        }
    }

    /** What every node hears after an action: the room, the user (none for slow mode), the action and its end. */
    public record Done(String room, String user, String action, String until) {
    }

    @Inject
    Documents documents;

    @Inject
    Bus bus;

    @Inject
    Streams streams;

    @Inject
    MeterRegistry meters;

    @Inject
    Rooms rooms;

    Clock clock = Clock.systemUTC();
    private final Map<Action, Counter> counted = new HashMap<>();

    @PostConstruct
    void listen() {
        for (Action action : Action.values()) {
            counted.put(action, Counter.builder("switchboard.moderation.actions").tag("action", action.wireName())
                    .description("Moderation actions taken, by moderators or the server API").register(meters));
        }
        streams.hear(TOPIC, new Streams.TopicListener() {
            @Override
            public void signal(String text) {
                rooms.moderated(FrameCodec.fromJson(text, Done.class));
            }

            @Override
            public void mayHaveMissed() {
                // A ban missed while Redis was away still holds: the banned user's next say or join is refused.
            }
        });
    }

    /** Listening from the start, not from the first action. */
    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // Observing is enough: listen() has run.
    }

    /** The room's moderation now (ended mutes and bans left out). */
    public State of(String room) {
        return documents.get(PREFIX + room).map(d -> FrameCodec.fromJson(d.text(), State.class))
                .orElse(State.NONE).current(clock.millis());
    }

    /**
     * Mutes, bans, or lifts either, for the user in the room: {@code length} null is no end. Logged, counted,
     * and told to every node.
     */
    public void act(String room, String user, Action action, Duration length, String by) {
        long now = clock.millis();
        long until = length == null ? FOREVER : now + length.toMillis();
        change(room, state -> switch (action) {
            case MUTE -> new State(with(state.mutes(), user, until), state.bans(), state.slowModeMillis());
            case UNMUTE -> new State(without(state.mutes(), user), state.bans(), state.slowModeMillis());
            case BAN -> new State(state.mutes(), with(state.bans(), user, until), state.slowModeMillis());
            case UNBAN -> new State(state.mutes(), without(state.bans(), user), state.slowModeMillis());
            case SLOW_MODE, DELETE -> throw new IllegalArgumentException(action + " has a method of its own");
        });
        boolean ending = action == Action.MUTE || action == Action.BAN;
        String when = ending && until != FOREVER ? Instant.ofEpochMilli(until).toString() : null;
        done(new Done(room, user, action.wireName(), when), action, by,
                by + " " + action.done() + " " + user + " in " + room + (ending ? (when == null ? " with no end" : " until " + when) : ""));
    }

    /** Sets the room's own slow mode (zero: off), or with null goes back to its namespace's. */
    public void slowMode(String room, Duration interval, String by) {
        change(room, state -> new State(state.mutes(), state.bans(), interval == null ? null : interval.toMillis()));
        done(new Done(room, null, Action.SLOW_MODE.wireName(), null), Action.SLOW_MODE, by, by + " set slow mode in " + room
                + " to " + (interval == null ? "the namespace's" : interval.toSeconds() + " s"));
    }

    /** A message was deleted (the log keeps its tombstone): logged and counted like every action. */
    public void deleted(String room, long offset, String by) {
        counted.get(Action.DELETE).increment();
        LOG.info(() -> "Moderation: " + by + " deleted the message at offset " + offset + " in " + room);
    }

    private void done(Done done, Action action, String by, String line) {
        counted.get(action).increment();
        LOG.info(() -> "Moderation: " + line);
        bus.signal(TOPIC, FrameCodec.toJson(done), null);
    }

    /** Writes the next state by compare and set, retried until no other node wrote in between. */
    private void change(String room, UnaryOperator<State> next) {
        String key = PREFIX + room;
        while (true) {
            Optional<Documents.Versioned> current = documents.get(key);
            long now = clock.millis();
            State state = current.map(d -> FrameCodec.fromJson(d.text(), State.class)).orElse(State.NONE).current(now);
            State changed = next.apply(state);
            if (documents.replace(key, current.map(Documents.Versioned::version).orElse(0L), FrameCodec.toJson(changed),
                    keepMillis(changed, now))) {
                return;
            }
        }
    }

    /** A document with nothing that lasts lapses when its last entry ends; one with a room slow mode stays. */
    private static long keepMillis(State state, long now) {
        if (state.slowModeMillis() != null) {
            return 0;
        }
        long last = now + 1;
        for (long until : state.mutes().values()) {
            last = Math.max(last, until);
        }
        for (long until : state.bans().values()) {
            last = Math.max(last, until);
        }
        return last == FOREVER ? 0 : last - now;
    }

    private static Map<String, Long> with(Map<String, Long> entries, String user, long until) {
        Map<String, Long> changed = new TreeMap<>(entries);
        changed.put(user, until);
        return changed;
    }

    private static Map<String, Long> without(Map<String, Long> entries, String user) {
        Map<String, Long> changed = new TreeMap<>(entries);
        changed.remove(user);
        return changed;
    }
}

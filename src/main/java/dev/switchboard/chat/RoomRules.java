package dev.switchboard.chat;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Logs;
import dev.switchboard.protocol.MessageSize;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of the rooms of one namespace: what their history keeps, whether a rejoin recovers what it
 * missed, whether members are shown and their joins announced, who may join and who may say, how many may
 * be in, how long a message may be, how often each user may say something, and whether the site's back
 * end is asked before a join or a say.
 *
 * @param historySize     messages kept, at least 1 (what a join replays)
 * @param historyTtl      how long a message is kept
 * @param recovery        a join with {@code since} gets what it missed; off, it gets what a fresh join gets
 * @param presence        members see who is in (count and names in {@code joined}, the members API)
 * @param joinLeave       members are told of joins and leaves ({@code presence} frames); null: as
 *                        {@code switchboard.presence.quiet-rooms} says for the room
 * @param join            who may join
 * @param say             who may say
 * @param maxMembers      users in the room at most (0: no cap)
 * @param maxMessageBytes bytes of UTF-8 text a say may carry
 * @param slowMode        each user may say one message per this long (zero: off); moderators are exempt
 * @param messageEvents   every message kept in the room is told to the site's back end ({@code message.said})
 * @param proxyJoin       a join is allowed only once the site's back end (the authorization proxy) allows it
 * @param proxySay        a say goes only once the site's back end allows it, with the text it gives back
 * @param replay          entries of the room's log a join that does not recover is sent (the most recent; 0: all
 *                        it keeps); the older ones come with {@code history}
 * @param editWindow      how long after saying it a member may edit or delete their own message (zero: never)
 */
public record RoomRules(int historySize, Duration historyTtl, boolean recovery, boolean presence, Boolean joinLeave,
        Join join, Say say, int maxMembers, int maxMessageBytes, Duration slowMode, boolean messageEvents,
        boolean proxyJoin, boolean proxySay, int replay, Duration editWindow) {

    /** Who may join a room. */
    public enum Join {
        /** Any holder of a chat token. */
        ANYONE,
        /** Whoever's token (or room token) grants {@code join} on the room. */
        GRANTED,
        /** Personal rooms {@code ns:#alice}: only the user named after the '#' (and whoever is granted it). */
        USER
    }

    /** Who may say something in a room. */
    public enum Say {
        /** Every member. */
        MEMBERS,
        /** Members whose token (or room token) grants {@code say} on the room. */
        GRANTED,
        /** Only the site's back end, through the server API: an announcements room. */
        SERVER
    }

    /** Whether a user whose token grants these may join the room (of this namespace). */
    boolean admits(String room, String user, Grants grants) {
        return switch (join) {
            case ANYONE -> true;
            case GRANTED -> grants.allow(Grants.Right.JOIN, room);
            case USER -> Namespaces.ownerOf(room).filter(user::equals).isPresent() || grants.allow(Grants.Right.JOIN, room);
        };
    }

    /** Whether a member whose token grants these may say something in the room. */
    boolean letsSay(String room, Grants grants) {
        return switch (say) {
            case MEMBERS -> true;
            case GRANTED -> grants.allow(Grants.Right.SAY, room);
            case SERVER -> false;
        };
    }

    /** Why {@code text} may not be a message in {@code room}: over {@code maxMessageBytes} (UTF-8); empty when it may. */
    Optional<String> oversize(String room, String text) {
        long bytes = MessageSize.utf8Length(text);
        return bytes <= maxMessageBytes ? Optional.empty()
                : Optional.of("A message in '" + room + "' is at most " + maxMessageBytes + " bytes; this one is " + bytes);
    }

    /** How the room's log keeps its entries: its last {@code historySize}, for {@code historyTtl}; not kept while idle. */
    Logs.Retention retention() {
        return new Logs.Retention(historySize, historyTtl, false);
    }

    /** Whether the room announces joins and leaves, {@code announcedByDefault} being what {@code switchboard.presence.quiet-rooms} says of it. */
    boolean announcesJoins(boolean announcedByDefault) {
        return presence && (joinLeave == null ? announcedByDefault : joinLeave);
    }

    /** The option names a namespace may set, as the configuration spells them. */
    static final Set<String> OPTIONS = Set.of("historySize", "historyTtl", "recovery", "presence", "joinLeave",
            "join", "say", "maxMembers", "maxMessageBytes", "slowMode", "messageEvents", "proxyJoin",
            "proxySay", "replay", "editWindow");

    /** The rules these options set, each option not given taken from {@code base}; {@code where} names them in errors. */
    static RoomRules read(JsonObject options, RoomRules base, String where) {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(OPTIONS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + ": unknown option " + String.join(", ", unknown)
                    + " (known: " + String.join(", ", new TreeSet<>(OPTIONS)) + ")");
        }
        return new RoomRules(
                count(options, "historySize", base.historySize(), where),
                duration(options, "historyTtl", base.historyTtl(), where),
                flag(options, "recovery", base.recovery(), where),
                flag(options, "presence", base.presence(), where),
                options.containsKey("joinLeave") ? Boolean.valueOf(flag(options, "joinLeave", false, where)) : base.joinLeave(),
                choice(options, "join", Join.class, base.join(), where),
                choice(options, "say", Say.class, base.say(), where),
                count(options, "maxMembers", base.maxMembers(), where),
                count(options, "maxMessageBytes", base.maxMessageBytes(), where),
                duration(options, "slowMode", base.slowMode(), where),
                flag(options, "messageEvents", base.messageEvents(), where),
                flag(options, "proxyJoin", base.proxyJoin(), where),
                flag(options, "proxySay", base.proxySay(), where),
                count(options, "replay", base.replay(), where),
                duration(options, "editWindow", base.editWindow(), where));
    }

    private static int count(JsonObject options, String name, int otherwise, String where) {
        JsonValue value = options.get(name);
        if (value == null) {
            return otherwise;
        }
        if (value instanceof JsonNumber number && number.isIntegral() && number.longValue() >= 0
                && number.longValue() <= Integer.MAX_VALUE) {
            return number.intValue();
        }
        throw new IllegalArgumentException(where + ": " + name + " must be a whole number, 0 or more (was " + value + ")");
    }

    private static boolean flag(JsonObject options, String name, boolean otherwise, String where) {
        JsonValue value = options.get(name);
        if (value == null) {
            return otherwise;
        }
        if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
            return value == JsonValue.TRUE;
        }
        throw new IllegalArgumentException(where + ": " + name + " must be true or false (was " + value + ")");
    }

    private static Duration duration(JsonObject options, String name, Duration otherwise, String where) {
        JsonValue value = options.get(name);
        if (value == null) {
            return otherwise;
        }
        Optional<Duration> d = value instanceof JsonString text ? SwitchboardConfig.parseDuration(text.getString()) : Optional.empty();
        return d.orElseThrow(() -> new IllegalArgumentException(where + ": " + name
                + " must be a duration such as \"500ms\", \"10s\", \"5m\", \"24h\" or \"7d\" (was " + value + ")"));
    }

    private static <E extends Enum<E>> E choice(JsonObject options, String name, Class<E> kind, E otherwise, String where) {
        JsonValue value = options.get(name);
        if (value == null) {
            return otherwise;
        }
        String[] names = Arrays.stream(kind.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
        if (value instanceof JsonString text && Arrays.asList(names).contains(text.getString())) {
            return Enum.valueOf(kind, text.getString().toUpperCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(where + ": " + name + " must be one of " + String.join(", ", names) + " (was " + value + ")");
    }
}

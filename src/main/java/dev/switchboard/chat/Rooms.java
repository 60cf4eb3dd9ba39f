package dev.switchboard.chat;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import dev.switchboard.engine.Presence;
import dev.switchboard.online.RoomOccupancy;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.reply.Replies;
import dev.switchboard.config.ServerExecutors;
import dev.switchboard.proxy.AuthorizationProxy;
import dev.switchboard.proxy.ProxyAnswer;
import dev.switchboard.security.Names;
import dev.switchboard.security.TokenService;
import dev.switchboard.session.Connection;
import dev.switchboard.session.ConnectionClosed;
import dev.switchboard.session.Frame;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.stream.Streams;
import dev.switchboard.webhooks.Webhooks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rooms with ordered logs: joining (with recovery from an offset), leaving, saying, and who is in.
 * A room is a log in the engine: the store gives each message its offset and publishes it, and
 * {@link Streams} hands every member each offset once and in order, whether it came from the replay
 * of a join or live, on whichever node it was said.
 */
@ApplicationScoped
public class Rooms {

    private static final Logger LOG = Logger.getLogger(Rooms.class.getName());

    @Inject
    SessionRegistry registry;

    private static final String LOG_PREFIX = "room:";
    /** A room token's claim naming its room. */
    static final String ROOM_CLAIM = "room";
    /** A room token's claim listing its rights there. */
    static final String RIGHTS_CLAIM = "rights";

    @Inject
    Logs logs;

    @Inject
    Streams streams;

    @Inject
    Presence presence;

    @Inject
    PresenceAnnouncer announcer;

    @Inject
    RoomOccupancy occupancy;

    @Inject
    Webhooks webhooks;

    @Inject
    Replies replies;

    @Inject
    SwitchboardConfig config;

    @Inject
    MeterRegistry meters;

    @Inject
    Namespaces namespaces;

    @Inject
    SlowMode slowMode;

    @Inject
    Moderation moderation;

    @Inject
    TokenService tokens;

    @Inject
    ServerExecutors executors;

    @Inject
    AuthorizationProxy proxy;

    @Inject
    MemberInfo memberInfo;

    @Inject
    RoomReads reads;

    private Timer publishLatency;

    Clock clock = Clock.systemUTC();
    private int membersListed;
    private int maxRoomsPerConnection;

    /**
     * A message as the room's log keeps it: the body of its entry, which has the offset. Messages from the
     * site's back end ({@code POST /api/publish}) say {@code server}, and may carry JSON {@code data}
     * instead of text or beside it; a deleted message is kept as a tombstone ({@code deleted}, without
     * its text and data). Absent fields are left out of the JSON. One constructor only: JSON-B reads it
     * back through the canonical one.
     */
    public record Said(String id, String from, String text, long ts, JsonValue data, Boolean server, Boolean deleted, Long edited,
            Quote replyTo, Map<String, List<String>> reactions) {
        /** The frame that shows this message in its room at its offset. */
        ChatFrame.Message at(String room, long offset) {
            return new ChatFrame.Message(room, offset, data, deleted, edited, from, id, reactions == null ? null : summary(reactions),
                    replyTo, server, text, ts);
        }

        /** What the log keeps of this message once deleted: nothing of what it said, nor of what others made of it. */
        Said tombstone() {
            return new Said(id, from, null, ts, null, server, true, null, null, null);
        }

        /** What the log keeps of this message once its author changed its text, at {@code when}. */
        Said editedTo(String newText, long when) {
            return new Said(id, from, newText, ts, data, server, deleted, when, replyTo, reactions);
        }

        /** What the log keeps of this reply once the message it answers was deleted: the quote without its words. */
        Said unquoted() {
            return new Said(id, from, text, ts, data, server, deleted, edited, replyTo.withoutText(), reactions);
        }

        /** What the log keeps of this message with these reactions (none: null, left out). */
        Said reactedTo(Map<String, List<String>> now) {
            return new Said(id, from, text, ts, data, server, deleted, edited, replyTo, now.isEmpty() ? null : now);
        }
    }

    /** Users listed by name in a reaction's summary; the count is always all of them. */
    static final int REACTORS_LISTED = 20;

    /** A reaction's summary as members see it: how many reacted with it, and the first of them by name. */
    @JsonbPropertyOrder({"count", "users"})
    public record Reaction(int count, List<String> users) {
    }

    /** The summary of a message's reactions, emoji by emoji (sorted, so that every node writes the same JSON). */
    static Map<String, Reaction> summary(Map<String, List<String>> reactions) {
        Map<String, Reaction> summary = new TreeMap<>();
        reactions.forEach((emoji, users) -> summary.put(emoji,
                new Reaction(users.size(), List.copyOf(users.subList(0, Math.min(REACTORS_LISTED, users.size()))))));
        return summary;
    }

    /**
     * The message a reply answers, as the log had it when the reply was said: its offset, author and the
     * start of its text (at most {@value #QUOTE_CHARS} characters, then an ellipsis), never the client's word
     * for it. Once that message is deleted, the quote keeps no word of it: {@code deleted}, without text.
     */
    @JsonbPropertyOrder({"offset", "from", "text", "deleted"})
    public record Quote(long offset, String from, String text, Boolean deleted) {
        Quote withoutText() {
            return new Quote(offset, from, null, true);
        }
    }

    /** Characters of the answered message a reply quotes. */
    static final int QUOTE_CHARS = 100;

    /**
     * A change to a message kept earlier in the room's log, as an entry of its own (so members learn of it
     * live and on recovery): {@code change} is what happened ({@code deleted}, {@code edited}) to the message
     * at {@code target}, by whom, and for an edit its new {@code text}.
     */
    @JsonbPropertyOrder({"change", "target", "by", "ts", "text", "added", "reactions"})
    public record Change(String change, long target, String by, long ts, String text, Boolean added, Map<String, Reaction> reactions) {
        /** How a change's entry begins, as the codec writes it: no message's does. */
        static final String STARTS = "{\"change\":";
    }

    /** The kinds of {@link Change}. */
    static final String DELETED = "deleted";
    static final String EDITED = "edited";
    static final String REACTED = "reacted";

    /** Where the store put a message: its id, offset and the log's epoch. */
    public record Published(String id, String room, long offset, String epoch) {
    }

    /** The engine's log (and signal topic) of a room. */
    static String logOf(String room) {
        return LOG_PREFIX + room;
    }

    static boolean isRoomLog(String topic) {
        return topic.startsWith(LOG_PREFIX);
    }

    /**
     * A room's entry on the wire: a message, or a change to one, read back and shown in its room at its
     * offset (built once per entry on each node).
     */
    static String wire(Entry entry) {
        String room = entry.log().substring(LOG_PREFIX.length());
        if (entry.body().startsWith(Change.STARTS)) {
            Change change = FrameCodec.fromJson(entry.body(), Change.class);
            if (EDITED.equals(change.change())) {
                return FrameCodec.toJson(new ChatFrame.Edited(room, null, entry.offset(), change.target(), change.text(), change.by(),
                        change.ts()));
            }
            if (REACTED.equals(change.change())) {
                return FrameCodec.toJson(new ChatFrame.Reactions(room, null, entry.offset(), change.target(), change.text(),
                        change.by(), change.added(), change.reactions() == null ? Map.of() : change.reactions()));
            }
            return FrameCodec.toJson(new ChatFrame.Deleted(room, null, entry.offset(), change.target(), change.by()));
        }
        return FrameCodec.toJson(FrameCodec.fromJson(entry.body(), Said.class).at(room, entry.offset()));
    }

    @PostConstruct
    void readSettings() {
        membersListed = config.positiveInt(Setting.PRESENCE_LIST_MAX);
        maxRoomsPerConnection = config.positiveInt(Setting.CONNECTION_MAX_ROOMS);
        publishLatency = Timer.builder("switchboard.publish.latency")
                .description("From a room message accepted to the store having kept and published it")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    /**
     * A join frame: charged like a message (it is news for every member), within the rooms a connection
     * may be in, if the room's namespace lets this user in. A refusal tells nothing of the room.
     */
    void join(Connection connection, ConnectionRights rights, String room, Long since, String epoch, String roomToken, String cid) {
        if (!validRoom(connection, room, cid) || !replies.withinRate(connection, null, cid)) {
            return;
        }
        if (roomToken != null && !takeRoomToken(connection, rights, room, roomToken, cid)) {
            return;
        }
        Optional<RoomRules> rules = admitted(connection, rights, room, cid);
        if (rules.isPresent() && notBanned(connection, room, cid) && mayJoin(connection, room, cid)
                && hasRoom(connection, room, rules.get(), cid) && backEndAllowsJoin(connection, rights, room, rules.get(), cid)) {
            enter(connection, rights, room, rules.get(), since, epoch, cid);
        }
    }

    /**
     * A room token (a JWT the site's back end signed as it signs chat tokens, for this user: {@code room},
     * {@code rights}, {@code exp}) gives its rights in its room until it expires; then, unless refreshed,
     * the connection leaves the room if it may no longer be in it. False (and {@code invalid_token}
     * answered) when it is not a valid room token for this user and room.
     */
    private boolean takeRoomToken(Connection connection, ConnectionRights rights, String room, String token, String cid) {
        Optional<TokenService.Verified> verified = tokens.verify(token)
                .filter(v -> v.user().equals(connection.user()) && room.equals(v.claim(ROOM_CLAIM)));
        if (verified.isEmpty()) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.INVALID_TOKEN,
                    "Not a valid room token of " + connection.user() + " for '" + room + "'").withCid(cid));
            return false;
        }
        ConnectionRights.RoomToken taken = new ConnectionRights.RoomToken(Grants.rightsOf(verified.get().claim(RIGHTS_CLAIM)),
                verified.get().expiresAt());
        rights.roomToken(room, taken);
        long millis = Math.max(0, taken.expiresAt().toEpochMilli() - clock.millis());
        executors.later(() -> roomTokenExpired(connection, rights, room, taken), millis, TimeUnit.MILLISECONDS);
        return true;
    }

    /** A room token expired unrefreshed: it no longer counts, and a connection it alone let in leaves the room. */
    private void roomTokenExpired(Connection connection, ConnectionRights rights, String room, ConnectionRights.RoomToken expired) {
        if (!rights.roomToken(room).filter(expired::equals).isPresent()) {
            return; // refreshed, or the room was left
        }
        rights.forgetRoomToken(room);
        if (isIn(connection, room) && !admits(connection.user(), rights, room)) {
            putOut(connection, room, "expired", null);
        }
    }

    /** A {@code refresh} with a {@code room}: a fresh room token for a room the connection is in. */
    void refreshRoomToken(Connection connection, ConnectionRights rights, String room, String token, String cid) {
        if (!validRoom(connection, room, cid) || !joined(connection, room, cid)
                || !takeRoomToken(connection, rights, room, token, cid)) {
            return;
        }
        replies.reply(connection, new SharedFrame.Refreshed(cid, room, rights.roomToken(room).orElseThrow().expiresAt().toString()));
        if (!admits(connection.user(), rights, room)) {
            putOut(connection, room, "rights", null);
        }
    }

    /** Whether the user is not banned from the room; a ban is answered with when it ends. */
    private boolean notBanned(Connection connection, String room, String cid) {
        Optional<Instant> until = moderation.of(room).bannedUntil(connection.user(), clock.millis());
        until.ifPresent(end -> replies.refuse(connection, ended(SharedFrame.Error.of(ErrorCode.BANNED,
                "You are banned from '" + room + "'").withCid(cid), end)));
        return until.isEmpty();
    }

    /** The error with when what refused it ends, unless it never does. */
    private static SharedFrame.Error ended(SharedFrame.Error error, Instant end) {
        return end.toEpochMilli() == Moderation.FOREVER ? error : error.until(end);
    }

    /**
     * The room's rules when the user may be in it; otherwise the refusal is answered: {@code bad_name} for a
     * room that cannot exist, {@code forbidden} for one the user may not join.
     */
    private Optional<RoomRules> admitted(Connection connection, ConnectionRights rights, String room, String cid) {
        Optional<RoomRules> rules = namespaces.rulesOf(room);
        if (rules.isEmpty()) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.BAD_NAME, namespaces.noSuchRoom(room)).withCid(cid));
            return Optional.empty();
        }
        if (!rules.get().admits(room, connection.user(), rights.grants())) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.FORBIDDEN, "You may not join '" + room + "'").withCid(cid));
            return Optional.empty();
        }
        return rules;
    }

    /**
     * Whether the site's back end allows the join, in a namespace that asks it ({@code proxyJoin}); a
     * refusal is answered: {@code denied} with its reason, or {@code proxy_unavailable} when it could not be asked.
     */
    private boolean backEndAllowsJoin(Connection connection, ConnectionRights rights, String room, RoomRules rules, String cid) {
        return !rules.proxyJoin() || allowedBy(connection, proxy.join(connection.user(), room, rights.claims()), "join '" + room + "'", cid);
    }

    private boolean allowedBy(Connection connection, ProxyAnswer answer, String what, String cid) {
        switch (answer.verdict()) {
            case ALLOW -> {
                return true;
            }
            case DENY -> replies.refuse(connection, SharedFrame.Error.of(ErrorCode.DENIED, answer.reason()).withCid(cid));
            default -> replies.reply(connection, SharedFrame.Error.of(ErrorCode.PROXY_UNAVAILABLE,
                    "The site could not be asked whether you may " + what + "; try again shortly").withCid(cid));
        }
        return false;
    }

    /** Whether a room with a member cap has room for one more user (a user already in it always does). */
    private boolean hasRoom(Connection connection, String room, RoomRules rules, String cid) {
        if (rules.maxMembers() == 0 || isIn(connection, room) || presence.count(room) < rules.maxMembers()
                || presence.present(room, connection.user())) {
            return true;
        }
        replies.refuse(connection, SharedFrame.Error.of(ErrorCode.ROOM_FULL,
                "'" + room + "' has " + rules.maxMembers() + " members, as many as it takes").withCid(cid));
        return false;
    }

    /** Why the room cannot exist (a namespace not configured, a personal room not named after a user); empty when it can. */
    public Optional<String> noSuchRoom(String room) {
        return namespaces.rulesOf(room).isPresent() ? Optional.empty() : Optional.of(namespaces.noSuchRoom(room));
    }

    /**
     * Whether the holder of this token may see who is in the room: whether they may join it and its
     * namespace shows its members.
     */
    public boolean showsMembersTo(String user, Grants grants, String room) {
        return namespaces.rulesOf(room).filter(rules -> rules.presence() && rules.admits(room, user, grants)).isPresent();
    }

    /** Whether a user with these rights may be in the room (it exists, and its namespace lets them in). */
    boolean admits(String user, ConnectionRights rights, String room) {
        return namespaces.rulesOf(room).filter(rules -> rules.admits(room, user, rights.grants())).isPresent();
    }

    /** After a token refresh: the connection leaves each room its new grants no longer let it in, told by a {@code left} frame. */
    void leaveWhereNotAdmitted(Connection connection, ConnectionRights rights) {
        for (String topic : List.copyOf(connection.topics())) {
            if (isRoomLog(topic)) {
                String room = topic.substring(LOG_PREFIX.length());
                if (!admits(connection.user(), rights, room)) {
                    putOut(connection, room, "rights", null);
                    rights.forgetRoomToken(room);
                }
            }
        }
    }

    /** The connection is out of the room without asking: it stops following it and is told why (and until when). */
    private void putOut(Connection connection, String room, String reason, String until) {
        registry.unsubscribe(connection, logOf(room));
        streams.unfollow(connection, logOf(room));
        left(room, connection.user(), connection.id(), false);
        replies.reply(connection, new ChatFrame.Left(room, reason, until));
    }

    /** A leave frame: charged like a message; acknowledged when it has a client id. */
    void leave(Connection connection, ConnectionRights rights, String room, String cid) {
        if (validRoom(connection, room, cid) && replies.withinRate(connection, null, cid)) {
            rights.forgetRoomToken(room);
            registry.unsubscribe(connection, logOf(room));
            streams.unfollow(connection, logOf(room));
            left(room, connection.user(), connection.id(), false);
            if (cid != null) {
                replies.reply(connection, new ChatFrame.Ack(cid, null, room, null, null, null));
            }
        }
    }

    /** A plain-text frame: said into the connection's default room, joining it first if need be. */
    void sayPlainText(Connection connection, ConnectionRights rights, String room, String text, String cid) {
        if (!isIn(connection, room)) {
            Optional<RoomRules> rules = admitted(connection, rights, room, cid);
            if (rules.isEmpty() || !notBanned(connection, room, cid) || !mayJoin(connection, room, cid)
                    || !hasRoom(connection, room, rules.get(), cid) || !backEndAllowsJoin(connection, rights, room, rules.get(), cid)) {
                return;
            }
            enter(connection, rights, room, rules.get(), null, null, null);
        }
        say(connection, rights, room, text, cid);
    }

    /**
     * The room named on the URL, joined as the connection opens, without charge, if the user may be in it;
     * false when refused (and the refusal answered).
     */
    boolean enterOnOpen(Connection connection, ConnectionRights rights, String room) {
        Optional<RoomRules> rules = admitted(connection, rights, room, null);
        if (rules.isEmpty() || !notBanned(connection, room, null) || !hasRoom(connection, room, rules.get(), null)
                || !backEndAllowsJoin(connection, rights, room, rules.get(), null)) {
            return false;
        }
        enter(connection, rights, room, rules.get(), null, null, null);
        return true;
    }

    private void enter(Connection connection, ConnectionRights rights, String room, RoomRules rules, Long askedSince,
            String askedEpoch, String cid) {
        String log = logOf(room);
        // Tracked first: if the connection closes meanwhile, its cleanup sees this room too.
        if (!registry.subscribe(connection, log)) {
            return;
        }
        if (presence.enter(room, connection.user(), connection.id())) {
            announcer.joined(room, connection.user(), connection.info());
            occupancy.joined(room);
        }
        // Without recovery a rejoin gets what a fresh join gets, and is told it did not recover.
        Long since = rules.recovery() ? askedSince : null;
        String epoch = rules.recovery() ? askedEpoch : null;
        Integer count = rules.presence() ? presence.count(room) : null;
        List<String> members = rules.presence() ? presence.members(room, membersListed) : null;
        Boolean recovered = askedSince == null ? null : Boolean.FALSE;
        // Told only when true, so that a room anyone may speak in gets the frame it always got.
        Boolean readOnly = rules.letsSay(room, rights.grants()) ? null : Boolean.TRUE;
        Boolean moderator = rights.grants().allow(Grants.Right.MODERATE, room) ? Boolean.TRUE : null;
        // Only where connects ask the back end: elsewhere nobody has info, and a join reads nothing more.
        JsonObject info = members != null && proxy.asksAtConnect() ? memberInfo.of(members) : null;
        RoomReads.Positions readPositions = rules.presence() ? reads.of(room) : null;
        streams.follow(connection, log, since, epoch, Rooms::wire,
                replay -> new Frame.Encoded(new ChatFrame.Joined(cid, room, replay.lastOffset(), count, members,
                        since == null ? recovered : Boolean.valueOf(replay.recovered()), replay.epoch(), readOnly, moderator, info,
                        readPositions == null || readPositions.in(replay.epoch()).isEmpty() ? null
                                : new TreeMap<>(readPositions.in(replay.epoch())))),
                rules.replay())
                .whenComplete((greeted, failure) -> {
                    if (failure != null) {
                        registry.unsubscribe(connection, log);
                        left(room, connection.user(), connection.id(), false);
                        replies.unavailable(connection, "join " + room, failure, cid,
                                "The room's history cannot be read now; join again later");
                    }
                });
    }

    /** Leaves presence; a retried clean-up (whose first exit may have run unanswered) asks who is still there. */
    private void left(String room, String user, String connectionId, boolean retried) {
        if (presence.exit(room, user, connectionId) || retried && !presence.present(room, user)) {
            announcer.left(room, user);
            occupancy.left(room);
        }
    }

    /**
     * A say: into a room the connection is in, if its namespace lets this member speak, within the
     * namespace's message size, its slow mode (moderators are exempt) and the connection's rate; and where
     * the namespace asks the site's back end ({@code proxySay}), as it allows, with the text it gives back.
     */
    void say(Connection connection, ConnectionRights rights, String room, String text, String cid) {
        say(connection, rights, room, text, null, cid);
    }

    /** A say that may answer the message at {@code replyTo}: members get it with a quote of that one, read from the log. */
    void say(Connection connection, ConnectionRights rights, String room, String text, Long replyTo, String cid) {
        if (!validRoom(connection, room, cid) || !replies.hasText(connection, text, cid)
                || !replies.firstTry(connection, "say", cid)) {
            return;
        }
        if (!joined(connection, room, cid) || !maySay(connection, rights, room, text, cid)
                || !replies.withinRate(connection, room, cid)) {
            replies.letGo(connection, "say", cid);
            return;
        }
        String allowedText = text;
        RoomRules rules = namespaces.rulesOf(room).orElseThrow();
        if (rules.proxySay()) {
            ProxyAnswer answer = proxy.say(connection.user(), room, text, rules.maxMessageBytes(), rights.claims());
            if (!allowedBy(connection, answer, "say that in '" + room + "'", cid)) {
                replies.letGo(connection, "say", cid);
                return;
            }
            allowedText = answer.text() == null ? text : answer.text();
        }
        String id = UUID.randomUUID().toString();
        String kept = allowedText;
        CompletionStage<Quote> quote = replyTo == null ? CompletableFuture.completedFuture(null) : quoteOf(room, replyTo);
        quote.thenCompose(q -> append(room, new Said(id, connection.user(), kept, clock.millis(), null, null, null, null, q, null)))
                .whenComplete((entry, failure) -> {
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
                    if (cause instanceof Logs.NotKept) {
                        replies.letGo(connection, "say", cid);
                        replies.refuse(connection, SharedFrame.Error.of(ErrorCode.NOT_FOUND,
                                "'" + room + "' keeps no message at offset " + replyTo + " to reply to").withCid(cid));
                    } else if (failure != null) {
                        replies.letGo(connection, "say", cid);
                        replies.unavailable(connection, "say into " + room, failure, cid,
                                "The message could not be stored; send it again later");
                    } else {
                        replies.acknowledge(connection, "say", cid, new ChatFrame.Ack(cid, id, room, entry.offset(), null, null));
                    }
                });
    }

    /** The quote of the message kept at {@code offset}; fails with {@link Logs.NotKept} when there is none (or it was deleted). */
    private CompletionStage<Quote> quoteOf(String room, long offset) {
        return LogAmendments.keptAt(logs, logOf(room), offset, null).thenApply(kept -> {
            if (kept == null || kept.body().startsWith(Change.STARTS)) {
                throw new Logs.NotKept(room + " keeps no message " + offset);
            }
            Said said = FrameCodec.fromJson(kept.body(), Said.class);
            if (Boolean.TRUE.equals(said.deleted())) {
                throw new Logs.NotKept(room + " deleted message " + offset);
            }
            return new Quote(offset, said.from(), quoted(said.text()), null);
        });
    }

    /** The start of a text a reply quotes: at most {@value #QUOTE_CHARS} characters, then an ellipsis. */
    static String quoted(String text) {
        return text == null || text.codePointCount(0, text.length()) <= QUOTE_CHARS ? text
                : text.substring(0, text.offsetByCodePoints(0, QUOTE_CHARS)) + "…";
    }

    /** The namespace's say rule, the room's mutes, the message size and slow mode; a refusal is answered. */
    private boolean maySay(Connection connection, ConnectionRights rights, String room, String text, String cid) {
        Moderation.State moderated = moderation.of(room); // one engine read for the mute and the slow mode
        if (!maySpeak(connection, rights, room, moderated, cid)) {
            return false;
        }
        RoomRules rules = namespaces.rulesOf(room).orElseThrow();
        if (!withinSize(connection, room, rules, text, cid)) {
            return false;
        }
        if (rights.grants().allow(Grants.Right.MODERATE, room)) {
            return true; // exempt from slow mode
        }
        Duration interval = slowModeOf(rules, moderated);
        if (!interval.isZero()) {
            Optional<Instant> wait = slowMode.take(room, connection.user(), interval);
            if (wait.isPresent()) {
                replies.refuse(connection, SharedFrame.Error.of(ErrorCode.SLOW_MODE, "One message every "
                        + interval.toSeconds() + " s in '" + room + "'").withCid(cid).until(wait.get()));
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the member may speak in the room at all (the namespace's say rule, and no mute; moderators
     * are muted by nobody), as a say or a typing notice asks. A refusal is answered.
     */
    boolean maySpeak(Connection connection, ConnectionRights rights, String room, String cid) {
        return maySpeak(connection, rights, room, null, cid);
    }

    /** As above, with the room's moderation when the caller has read it already (null: read it here if needed). */
    boolean maySpeak(Connection connection, ConnectionRights rights, String room, Moderation.State read, String cid) {
        RoomRules rules = namespaces.rulesOf(room).orElseThrow();
        if (!rules.letsSay(room, rights.grants())) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.FORBIDDEN, rules.say() == RoomRules.Say.SERVER
                    ? "Only the site's server says anything in '" + room + "'" : "You may not say anything in '" + room + "'")
                    .withCid(cid));
            return false;
        }
        if (rights.grants().allow(Grants.Right.MODERATE, room)) {
            return true;
        }
        Optional<Instant> muted = (read != null ? read : moderation.of(room)).mutedUntil(connection.user(), clock.millis());
        muted.ifPresent(end -> replies.refuse(connection, ended(SharedFrame.Error.of(ErrorCode.MUTED,
                "You are muted in '" + room + "'").withCid(cid), end)));
        return muted.isEmpty();
    }

    /** A text within the namespace's message size; a longer one is refused ({@code too_large}). */
    private boolean withinSize(Connection connection, String room, RoomRules rules, String text, String cid) {
        Optional<String> oversize = rules.oversize(room, text);
        oversize.ifPresent(why -> replies.refuse(connection, SharedFrame.Error.of(ErrorCode.TOO_LARGE, why).withCid(cid)));
        return oversize.isEmpty();
    }

    /** The room's own slow mode when a moderator set one, else its namespace's. */
    private static Duration slowModeOf(RoomRules rules, Moderation.State moderated) {
        return moderated.slowModeMillis() == null ? rules.slowMode() : Duration.ofMillis(moderated.slowModeMillis());
    }

    /**
     * A moderator's frame ({@code mute}, {@code unmute}, {@code ban}, {@code unban}, {@code slow_mode}):
     * taken from whoever's token grants {@code moderate} in the room, acknowledged, and done on every node.
     */
    void moderate(Connection connection, ConnectionRights rights, String type, String room, String user, Long seconds, String cid) {
        if (!validRoom(connection, room, cid) || !replies.withinRate(connection, null, cid)) {
            return;
        }
        if (namespaces.rulesOf(room).isEmpty() || !rights.grants().allow(Grants.Right.MODERATE, room)) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.FORBIDDEN, "You may not moderate '" + room + "'").withCid(cid));
            return;
        }
        Moderation.Action action = Moderation.Action.valueOf(type.toUpperCase(java.util.Locale.ROOT));
        if (action != Moderation.Action.SLOW_MODE && !Names.isUser(user)) {
            replies.refuse(connection, SharedFrame.Error.of(user == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_NAME,
                    "'user' names whom to " + type).withCid(cid));
            return;
        }
        if (seconds != null && seconds > Moderation.LONGEST.toSeconds()) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.BAD_FIELD, "'seconds' is at most "
                    + Moderation.LONGEST.toSeconds() + " (ten years); leave it out for no end").withCid(cid));
            return;
        }
        Duration length = seconds == null ? null : Duration.ofSeconds(seconds);
        if (action == Moderation.Action.SLOW_MODE) {
            moderation.slowMode(room, length, connection.user());
        } else {
            moderation.act(room, user, action, length, connection.user());
        }
        replies.reply(connection, new ChatFrame.Ack(cid, null, room, null, user, null));
    }

    /**
     * What a moderator did, heard on this node: a banned user's connections here leave the room, a muted
     * or unmuted one is told, and the room's members here learn a new slow mode.
     */
    void moderated(Moderation.Done done) {
        String log = logOf(done.room());
        switch (done.action()) {
            case "ban" -> forEachIn(log, done.user(), c -> putOut(c, done.room(), "banned", done.until()));
            case "mute", "unmute" -> forEachIn(log, done.user(),
                    c -> replies.reply(c, new ChatFrame.Moderated(done.room(), done.action(), done.until())));
            case "slow_mode" -> namespaces.rulesOf(done.room()).ifPresent(rules -> {
                Duration interval = slowModeOf(rules, moderation.of(done.room()));
                ChatFrame frame = new ChatFrame.SlowMode(done.room(), interval.toSeconds());
                for (Connection c : registry.connections()) {
                    if (c.topics().contains(log)) {
                        replies.reply(c, frame);
                    }
                }
            });
            default -> { } // unban: nothing to do until the user joins again
        }
    }

    private void forEachIn(String log, String user, java.util.function.Consumer<Connection> action) {
        for (Connection c : registry.connections()) {
            if (user.equals(c.user()) && c.topics().contains(log)) {
                action.accept(c);
            }
        }
    }

    /**
     * A message from the site's back end into a room, from {@code from} (or {@code server}), with text,
     * JSON data or both; completes once the store has kept and published it.
     */
    public CompletionStage<Published> publish(String room, String from, String text, JsonValue data) {
        Said said = new Said(UUID.randomUUID().toString(), from == null ? "server" : from, text, clock.millis(), data, true, null, null, null, null);
        return append(room, said).thenApply(entry -> new Published(said.id(), room, entry.offset(), entry.epoch()));
    }

    /**
     * The store gives the offset and publishes the message to every member, on every node, in order, and
     * keeps it as the room's namespace says; timed.
     */
    private CompletionStage<Entry> append(String room, Said said) {
        RoomRules rules = namespaces.rulesOf(room).orElseThrow(() -> new IllegalArgumentException(namespaces.noSuchRoom(room)));
        Timer.Sample started = Timer.start(meters);
        return logs.append(logOf(room), FrameCodec.toJson(said), rules.retention())
                .whenComplete((entry, failure) -> {
                    started.stop(publishLatency);
                    if (failure == null && rules.messageEvents()) {
                        webhooks.emit("message.said", new MessageSaid(room, entry.offset(), entry.epoch(), said.id(), said.from(),
                                said.text(), said.data(), Instant.ofEpochMilli(said.ts()).toString(), said.server()));
                    }
                });
    }

    /** A {@code message.said} event's data: the message as kept, at its offset in the room's log. */
    public record MessageSaid(String room, long offset, String epoch, String id, String from, String text, JsonValue data,
            String ts, Boolean server) {
    }

    /**
     * Deletes the message at {@code offset} (in {@code epoch}, when given): the log keeps a tombstone in its
     * place, and a {@code deleted} entry tells members now and clients that recover later. Completes with
     * the deletion's entry (the message's own when it was deleted already), or fails with
     * {@link Logs.NotKept} when the room keeps no message there.
     */
    public CompletionStage<Entry> delete(String room, long offset, String epoch, String by) {
        return delete(room, offset, epoch, by, said -> { });
    }

    /** As {@link #delete(String, long, String, String)}, once {@code check} (which may throw a {@link Refused}) passes the message. */
    CompletionStage<Entry> delete(String room, long offset, String epoch, String by, Consumer<Said> check) {
        return amendMessage(room, offset, epoch, said -> {
            check.accept(said);
            return Boolean.TRUE.equals(said.deleted()) ? null
                    : new Amended(said.tombstone(), new Change(DELETED, offset, by, clock.millis(), null, null, null));
        }).thenCompose(entry -> {
            if (!LogAmendments.wroteChange(entry, offset)) {
                return CompletableFuture.completedFuture(entry); // deleted already
            }
            moderation.deleted(room, offset, by);
            return unquote(room, offset).handle((done, failure) -> {
                if (failure != null) {
                    LOG.log(Level.WARNING, "Replies quoting deleted message {0} of {1} still quote it: {2}",
                            new Object[] {offset, room, failure.toString()});
                }
                return entry;
            });
        });
    }

    /**
     * The replies kept after a deleted message that quote it keep no word of it any more (in place, telling
     * nobody: members learnt of the deletion from its own entry), so history, replays and the server API
     * never show a deleted message's words. Over the version read; read again when someone changed one meanwhile.
     */
    private CompletionStage<Void> unquote(String room, long target) {
        return LogAmendments.rewriteEach(logs, logOf(room), target, entry -> {
            if (entry.body().startsWith(Change.STARTS) || !entry.body().contains("\"replyTo\"")) {
                return null;
            }
            Said reply = FrameCodec.fromJson(entry.body(), Said.class);
            boolean quotesIt = reply.replyTo() != null && reply.replyTo().offset() == target && reply.replyTo().deleted() == null;
            return quotesIt ? FrameCodec.toJson(reply.unquoted()) : null;
        });
    }

    /** What a change makes of a kept message: the version the log keeps in its place, and the change's own entry. */
    record Amended(Said kept, Change change) {
    }

    /** A change to a message refused for what the message is (someone else's, too old to edit), with its error. */
    static final class Refused extends RuntimeException {
        final ErrorCode code;

        Refused(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /**
     * Changes the message kept at {@code offset} (in {@code epoch}, when given) as {@code change} says, in one
     * step of the store: the new version in its place, the change appended (see {@link Logs#amend}). Completes
     * with the change's entry, or the message's own when {@code change} had nothing to do (null); fails with
     * {@link Logs.NotKept} when the room keeps no message there, or {@link Refused} as {@code change} threw it.
     */
    CompletionStage<Entry> amendMessage(String room, long offset, String epoch, Function<Said, Amended> change) {
        RoomRules rules = namespaces.rulesOf(room).orElseThrow(() -> new Logs.NotKept(namespaces.noSuchRoom(room)));
        return LogAmendments.amend(logs, logOf(room), offset, epoch, rules.retention(), kept -> {
            if (kept.body().startsWith(Change.STARTS)) {
                throw new Logs.NotKept(room + " keeps no message " + offset);
            }
            Amended amended = change.apply(FrameCodec.fromJson(kept.body(), Said.class));
            return amended == null ? null
                    : new LogAmendments.Rewrite(FrameCodec.toJson(amended.kept()), FrameCodec.toJson(amended.change()));
        });
    }

    /**
     * A {@code delete} frame: the message goes, for every member, in history and on recovery. A moderator
     * deletes any message; a member their own, within the namespace's edit window.
     */
    void deleteMessage(Connection connection, ConnectionRights rights, String room, Long offset, String epoch, String cid) {
        if (!validRoom(connection, room, cid) || !replies.withinRate(connection, null, cid)) {
            return;
        }
        Optional<RoomRules> rules = namespaces.rulesOf(room);
        if (rules.isEmpty() || !rights.grants().allow(Grants.Right.MODERATE, room) && !isIn(connection, room)) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.FORBIDDEN, "You may not delete messages in '" + room + "'").withCid(cid));
            return;
        }
        if (offset == null) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.MISSING_FIELD, "'offset' names the message to delete").withCid(cid));
            return;
        }
        boolean moderator = rights.grants().allow(Grants.Right.MODERATE, room);
        delete(room, offset, epoch, connection.user(), said -> {
            if (!moderator) {
                ownAndInTime(said, connection.user(), room, rules.get(), "deleted");
            }
        }).whenComplete((entry, failure) -> answerChange(connection, room, offset, cid, failure, "deleted", null,
                LogAmendments.wroteChange(entry, offset)));
    }

    /**
     * An {@code edit} frame: the author changes the text of their own message, within the namespace's edit
     * window, under the rules a say follows (the namespace's say rule, mutes, size, rate, the site's back end
     * when it is asked); the room keeps the new text in its place and members get {@code edited}.
     */
    void edit(Connection connection, ConnectionRights rights, String room, Long offset, String epoch, String text, String cid) {
        if (!validRoom(connection, room, cid) || !replies.hasText(connection, text, cid) || !joined(connection, room, cid)) {
            return;
        }
        if (offset == null) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.MISSING_FIELD, "'offset' names the message to edit").withCid(cid));
            return;
        }
        RoomRules rules = namespaces.rulesOf(room).orElseThrow();
        if (!maySpeak(connection, rights, room, null, cid) || !withinSize(connection, room, rules, text, cid)
                || !replies.withinRate(connection, room, cid)) {
            return;
        }
        String newText = text;
        if (rules.proxySay()) {
            ProxyAnswer answer = proxy.say(connection.user(), room, text, rules.maxMessageBytes(), rights.claims());
            if (!allowedBy(connection, answer, "say that in '" + room + "'", cid)) {
                return;
            }
            newText = answer.text() == null ? text : answer.text();
        }
        String kept = newText;
        long now = clock.millis();
        amendMessage(room, offset, epoch, said -> {
            ownAndInTime(said, connection.user(), room, rules, "edited");
            if (Boolean.TRUE.equals(said.deleted())) {
                throw new Logs.NotKept("deleted");
            }
            return kept.equals(said.text()) ? null // the text it has: nothing to tell (a retry, or no change)
                    : new Amended(said.editedTo(kept, now), new Change(EDITED, offset, connection.user(), now, kept, null, null));
        }).whenComplete((entry, failure) -> answerChange(connection, room, offset, cid, failure, "edited", kept,
                LogAmendments.wroteChange(entry, offset)));
    }

    /**
     * The site's back end changes the text of any message the room keeps (its own, or a member's it must
     * correct): members get {@code edited} by {@code server}, and history keeps the new text. Completes with
     * the edit's entry; fails with {@link Logs.NotKept} when the room keeps no message there (or a deleted one).
     */
    public CompletionStage<Entry> editAsServer(String room, long offset, String epoch, String text) {
        long now = clock.millis();
        return amendMessage(room, offset, epoch, said -> {
            if (Boolean.TRUE.equals(said.deleted())) {
                throw new Logs.NotKept("deleted");
            }
            return new Amended(said.editedTo(text, now), new Change(EDITED, offset, "server", now, text, null, null));
        });
    }

    /** A member's own message, said within the namespace's edit window; otherwise refused (thrown). */
    private void ownAndInTime(Said said, String user, String room, RoomRules rules, String what) {
        if (!user.equals(said.from()) || Boolean.TRUE.equals(said.server())) {
            throw new Refused(ErrorCode.FORBIDDEN, "Only its author may change a message");
        }
        if (rules.editWindow().isZero() || clock.millis() - said.ts() > rules.editWindow().toMillis()) { // 0: never
            throw new Refused(ErrorCode.TOO_LATE, "A message in '" + room + "' may be " + what + " by its author within "
                    + rules.editWindow().toSeconds() + " s of being said");
        }
    }

    /**
     * Answers a change to a message: its ack, or why not; and, when it {@code changed} anything (a deletion of
     * a message deleted already is acknowledged again, and told to nobody), tells the site's back end if the
     * namespace asks.
     */
    private void answerChange(Connection connection, String room, long offset, String cid, Throwable failure, String what,
            String text, boolean changed) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        if (cause instanceof Logs.NotKept) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.NOT_FOUND,
                    "'" + room + "' keeps no message at offset " + offset).withCid(cid));
        } else if (cause instanceof Refused refused) {
            replies.refuse(connection, SharedFrame.Error.of(refused.code, refused.getMessage()).withCid(cid));
        } else if (failure != null) {
            replies.unavailable(connection, what + " in " + room, failure, cid, "The message could not be changed now; try again later");
        } else {
            replies.reply(connection, new ChatFrame.Ack(cid, null, room, offset, null, null));
            if (changed && namespaces.rulesOf(room).map(RoomRules::messageEvents).orElse(false)) {
                webhooks.emit("message." + what, new MessageChanged(room, offset, connection.user(), text));
            }
        }
    }

    /** A {@code message.edited} or {@code message.deleted} event's data. */
    public record MessageChanged(String room, long offset, String by, String text) {
    }

    /** Messages one {@code history} page holds at most, and when the client names no {@code limit}. */
    static final int PAGE_MAX = 100;
    static final int PAGE_DEFAULT = 50;

    /** A page of a room's older messages: newest first, and whether the room keeps more before them. */
    public record Page(String room, String epoch, List<String> messages, boolean more) {
    }

    /**
     * The messages the room keeps before {@code before}, newest first, at most {@code limit}: each as its
     * latest version (edited, or a tombstone), exactly the {@code message} frame members get; the log's
     * change entries are left out, since the messages they changed show them.
     */
    public CompletionStage<Page> page(String room, long before, int limit) {
        return logs.read(logOf(room), null, null).thenApply(replay -> {
            List<String> older = new ArrayList<>();
            for (Entry entry : replay.entries()) {
                if (entry.offset() < before && !entry.body().startsWith(Change.STARTS)) {
                    older.add(wire(entry));
                }
            }
            List<String> page = new ArrayList<>(older.subList(Math.max(0, older.size() - limit), older.size()));
            Collections.reverse(page);
            return new Page(room, replay.epoch(), page, older.size() > limit);
        });
    }

    /** The {@code history} frame: a member asks for older messages than it has ({@code before}), newest first. */
    void history(Connection connection, String room, Long before, Long limit, String cid) {
        if (!validRoom(connection, room, cid) || !joined(connection, room, cid)) {
            return;
        }
        if (before == null || limit != null && (limit < 1 || limit > PAGE_MAX)) {
            replies.refuse(connection, SharedFrame.Error.of(before == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_FIELD,
                    "A history page names 'before' (an offset) and at most 'limit' messages, 1 to " + PAGE_MAX).withCid(cid));
            return;
        }
        if (!replies.withinRate(connection, room, cid)) {
            return;
        }
        page(room, before, limit == null ? PAGE_DEFAULT : limit.intValue()).whenComplete((page, failure) -> {
            if (failure != null) {
                replies.unavailable(connection, "history of " + room, failure, cid, "The room's history cannot be read now; try again later");
                return;
            }
            connection.send(new Frame.Text(historyFrame(cid, page)));
        });
    }

    /** The frame, written by hand around the messages, which are written already (as every member got them). */
    static String historyFrame(String cid, Page page) {
        StringBuilder json = new StringBuilder("{\"type\":\"history\"");
        if (cid != null) {
            json.append(",\"cid\":").append(FrameCodec.toJson(cid));
        }
        json.append(",\"room\":").append(FrameCodec.toJson(page.room())).append(",\"epoch\":").append(FrameCodec.toJson(page.epoch()))
                .append(",\"messages\":[").append(String.join(",", page.messages())).append("],\"more\":").append(page.more());
        return json.append('}').toString();
    }

    /** What a room kept after {@code since} (null: what it keeps), for the server API. */
    public CompletionStage<Logs.Replay> history(String room, Long since) {
        return logs.read(logOf(room), since, null);
    }

    /** A connection went: it leaves its rooms (announced if it was the user's last connection there). */
    void connectionClosed(@Observes ConnectionClosed closed) {
        if (!closed.connection().channel().equals(ChatService.CHANNEL)) {
            return;
        }
        for (String topic : closed.topics()) {
            if (isRoomLog(topic)) {
                left(topic.substring(LOG_PREFIX.length()), closed.connection().user(), closed.connection().id(), closed.retried());
            }
        }
    }

    /** The room's members, for the HTTP API. */
    public List<String> members(String room) {
        return new ArrayList<>(presence.members(room));
    }

    /** A connection is in at most {@code switchboard.connection.max-rooms} rooms: each one costs memory in every engine. */
    private boolean mayJoin(Connection connection, String room, String cid) {
        if (isIn(connection, room)
                || connection.topics().stream().filter(Rooms::isRoomLog).count() < maxRoomsPerConnection) {
            return true;
        }
        replies.refuse(connection, SharedFrame.Error.of(ErrorCode.TOO_MANY_ROOMS,
                "In " + maxRoomsPerConnection + " rooms already; leave one first").withCid(cid));
        return false;
    }

    /** Whether the connection is in the room; if not, the refusal ({@code not_joined}) is answered. */
    boolean joined(Connection connection, String room, String cid) {
        if (isIn(connection, room)) {
            return true;
        }
        replies.refuse(connection, SharedFrame.Error.of(ErrorCode.NOT_JOINED, "Join '" + room + "' first").withCid(cid));
        return false;
    }

    boolean validRoom(Connection connection, String room, String cid) {
        if (Names.isRoom(room)) {
            return true;
        }
        replies.refuse(connection, SharedFrame.Error.of(room == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_NAME,
                Names.ROOM_RULE).withCid(cid));
        return false;
    }

    private static boolean isIn(Connection connection, String room) {
        return connection.topics().contains(logOf(room));
    }
}

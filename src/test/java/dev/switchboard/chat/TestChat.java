package dev.switchboard.chat;

import dev.switchboard.engine.Logs;
import dev.switchboard.online.RoomOccupancy;
import dev.switchboard.online.TestOnline;
import dev.switchboard.online.UserStatus;
import dev.switchboard.online.Watchers;
import dev.switchboard.proxy.AuthorizationProxy;
import dev.switchboard.proxy.TestProxies;
import dev.switchboard.webhooks.TestWebhooks;
import dev.switchboard.webhooks.Webhooks;
import dev.switchboard.security.TestTokenServices;
import dev.switchboard.security.TokenService;
import dev.switchboard.session.TestTransports;
import dev.switchboard.testing.UnitNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Chat's parts (rooms, whispers, typing) on the in-memory engine, wired as the server wires them, at
 * a fixed time, for unit tests. Presence is announced only when a test flushes it.
 */
final class TestChat implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    final UnitNode node;
    final PresenceAnnouncer announcer = new PresenceAnnouncer();
    final Rooms rooms = new Rooms();
    final Whispers whispers = new Whispers();
    final WhisperChanges whisperChanges = new WhisperChanges();
    final Typing typing = new Typing();
    final Namespaces namespaces = new Namespaces();
    final SlowMode slowMode = new SlowMode();
    final Moderation moderation = new Moderation();
    final Reactions reactions = new Reactions();
    final RoomReads roomReads = new RoomReads();
    final WhisperReceipts receipts = new WhisperReceipts();
    final TokenService tokens;
    final Webhooks webhooks;
    final UserStatus status;
    final RoomOccupancy occupancy;
    final Watchers watchers;
    final AuthorizationProxy proxy;
    final MemberInfo memberInfo = new MemberInfo();
    private int connections;

    /** Chat with these settings, as name-value pairs (the rest default). */
    TestChat(String... namesAndValues) {
        // An hour: presence goes out when a test flushes it, never on its own while a test runs.
        String[] settings = Arrays.copyOf(namesAndValues, namesAndValues.length + 2);
        settings[namesAndValues.length] = "switchboard.presence.interval";
        settings[namesAndValues.length + 1] = "1h";
        node = new UnitNode(settings);
        announcer.bus = node.logs;
        announcer.presence = node.engine.presence();
        announcer.executors = node.executors;
        announcer.config = node.config;
        namespaces.config = node.config;
        namespaces.readSettings();
        announcer.namespaces = namespaces;
        announcer.readSettings();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        slowMode.documents = node.engine.documents();
        slowMode.clock = clock;
        webhooks = TestWebhooks.of(node, "a");
        status = TestOnline.userStatus(node, webhooks, clock);
        occupancy = TestOnline.roomOccupancy(node, webhooks, clock);
        watchers = TestOnline.watchers(node, status);
        rooms.occupancy = occupancy;
        rooms.webhooks = webhooks;
        rooms.registry = node.registry;
        rooms.logs = node.logs;
        rooms.streams = node.streams;
        rooms.presence = node.engine.presence();
        rooms.announcer = announcer;
        rooms.replies = node.replies;
        rooms.config = node.config;
        rooms.meters = node.meters;
        rooms.clock = clock;
        rooms.namespaces = namespaces;
        rooms.slowMode = slowMode;
        rooms.moderation = moderation;
        tokens = TestTokenServices.of(node.config, clock);
        rooms.tokens = tokens;
        rooms.executors = node.executors;
        proxy = TestProxies.of(node.config, node.meters);
        rooms.proxy = proxy;
        memberInfo.documents = node.engine.documents();
        rooms.memberInfo = memberInfo;
        moderation.documents = node.engine.documents();
        moderation.bus = node.logs;
        moderation.streams = node.streams;
        moderation.meters = node.meters;
        moderation.rooms = rooms;
        moderation.clock = clock;
        moderation.listen();
        roomReads.documents = node.engine.documents();
        roomReads.bus = node.logs;
        roomReads.streams = node.streams;
        roomReads.rooms = rooms;
        roomReads.namespaces = namespaces;
        roomReads.replies = node.replies;
        roomReads.executors = node.executors;
        roomReads.config = node.config;
        roomReads.readSettings();
        rooms.reads = roomReads;
        rooms.readSettings();
        receipts.documents = node.engine.documents();
        receipts.logs = node.logs;
        receipts.bus = node.logs;
        receipts.streams = node.streams;
        receipts.replies = node.replies;
        receipts.executors = node.executors;
        receipts.config = node.config;
        receipts.readSettings();
        whispers.receipts = receipts;
        whispers.registry = node.registry;
        whispers.logs = node.logs;
        whispers.streams = node.streams;
        whispers.status = status;
        whispers.replies = node.replies;
        whispers.config = node.config;
        whispers.clock = clock;
        whispers.readSettings();
        reactions.rooms = rooms;
        reactions.replies = node.replies;
        reactions.config = node.config;
        reactions.clock = clock;
        reactions.readSettings();
        whisperChanges.whispers = whispers;
        whisperChanges.logs = node.logs;
        whisperChanges.replies = node.replies;
        whisperChanges.reactions = reactions;
        whisperChanges.config = node.config;
        whisperChanges.clock = clock;
        whisperChanges.readSettings();
        typing.rooms = rooms;
        typing.bus = node.logs;
        typing.replies = node.replies;
    }

    /** A chat connection of the user, recording what it receives. */
    TestTransports.Recorded connect(String user) {
        return TestTransports.connect(node.registry, ChatService.CHANNEL, user + "-" + ++connections, user);
    }

    /** A chat connection of the user following their whispers, as chat connections do. */
    TestTransports.Recorded online(String user) {
        TestTransports.Recorded connection = connect(user);
        whispers.connected(connection.connection(), null, null);
        return connection;
    }

    /** What the user's whisper log keeps now. */
    Logs.Replay whisperLog(String user) {
        return node.logs.read(Whispers.logOf(user), null, null).toCompletableFuture().join();
    }

    @Override
    public void close() {
        TestWebhooks.stop(webhooks);
        node.close();
    }
}

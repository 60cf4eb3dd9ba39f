package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engine.Documents;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.session.TestTransports.Recorded;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Read positions in rooms, gathered and kept like presence; whispers sent, delivered and read. */
class ReadReceiptsTest {

    private static final ConnectionRights NO_GRANTS = new ConnectionRights(Grants.NONE);

    private final TestChat chat = new TestChat("switchboard.namespaces", """
            {"namespaces": {"news": {"presence": false}}}""");
    private final Rooms rooms = chat.rooms;
    private final RoomReads reads = chat.roomReads;
    private final Whispers whispers = chat.whispers;
    private final WhisperReceipts receipts = chat.receipts;

    @AfterEach
    void close() {
        chat.close();
    }

    private Recorded inRoom(String user, String room) {
        Recorded connection = chat.connect(user);
        rooms.join(connection.connection(), NO_GRANTS, room, null, null, null, null);
        return connection;
    }

    private Recorded online(String user) {
        Recorded connection = chat.connect(user);
        whispers.connected(connection.connection(), null, null);
        return connection;
    }

    private String epochOf(String room) {
        return rooms.history(room, null).toCompletableFuture().join().epoch();
    }

    private static String error(String code, String message, String cid) {
        return "{\"type\":\"error\",\"cid\":\"" + cid + "\",\"code\":\"" + code + "\",\"message\":\"" + message + "\"}";
    }

    @Test
    void membersLearnHowFarEachHasReadInOneFramePerIntervalAndJoinersFindItInJoined() {
        Recorded ann = inRoom("ann", "fun");
        Recorded bob = inRoom("bob", "fun");
        Recorded cy = inRoom("cy", "fun");
        rooms.say(ann.connection(), NO_GRANTS, "fun", "one", null);
        rooms.say(ann.connection(), NO_GRANTS, "fun", "two", null);
        reads.read(bob.connection(), "fun", 2L, "r1");
        assertEquals("{\"type\":\"ack\",\"cid\":\"r1\",\"room\":\"fun\",\"offset\":2}", bob.last());
        reads.read(cy.connection(), "fun", 1L, null);
        reads.read(cy.connection(), "fun", 2L, null);
        reads.read(bob.connection(), "fun", 1L, null); // only forward
        assertTrue(ann.texts().get().stream().noneMatch(t -> t.contains("\"reads\"")), "nothing told before the interval ends");

        reads.flush("fun");
        String told = "{\"type\":\"reads\",\"room\":\"fun\",\"epoch\":\"" + epochOf("fun") + "\",\"reads\":{\"bob\":2,\"cy\":2}}";
        assertEquals(told, ann.last(), "one frame for three reads");
        assertEquals(told, bob.last(), "the reader's own tabs learn it too");

        reads.read(bob.connection(), "fun", 2L, null);
        reads.flush("fun");
        assertEquals(told, ann.last(), "a position that did not move is no news");

        Recorded dee = inRoom("dee", "fun");
        assertTrue(dee.texts().get().get(0).endsWith(",\"reads\":{\"bob\":2,\"cy\":2}}"), dee.texts().get().get(0));
    }

    @Test
    void aReadIsOfARoomJoinedUpToWhatWasGivenAndOnlyWhereMembersAreShown() {
        Recorded ann = inRoom("ann", "fun");
        rooms.say(ann.connection(), NO_GRANTS, "fun", "one", null);
        reads.read(ann.connection(), "fun", 2L, "r1");
        assertEquals(error("bad_field", "'offset' is how far you have read 'fun': at most the last offset you were given there (1)", "r1"),
                ann.last());
        reads.read(ann.connection(), "fun", null, "r2");
        assertTrue(ann.last().contains("\"code\":\"missing_field\""), ann.last());
        reads.read(ann.connection(), "elsewhere", 1L, "r3");
        assertEquals(error("not_joined", "Join 'elsewhere' first", "r3"), ann.last());
        Recorded reader = inRoom("ann", "news:today");
        reads.read(reader.connection(), "news:today", 0L, "r4");
        assertEquals(error("forbidden", "'news:today' does not share who has read what (its members are not shown)", "r4"), reader.last());
        assertTrue(!reader.texts().get().get(0).contains("reads"), "nor does its joined: " + reader.texts().get().get(0));
    }

    @Test
    void aRoomKeepsTheFurthestReaders() {
        assertEquals(Map.of("cy", 9L, "ann", 7L), RoomReads.furthest(Map.of("ann", 7L, "bob", 7L - 2, "cy", 9L), 2));
        assertEquals(List.of("ann", "bob"), List.copyOf(RoomReads.furthest(Map.of("bob", 3L, "ann", 3L, "cy", 3L), 2).keySet()),
                "ties by name, listed by name");
    }

    @Test
    void aJoinAndAConnectionGoOnWithoutPositionsOrReceiptsWhileTheStoreCannotBeRead() {
        Documents away = new Documents() {
            @Override
            public Optional<Versioned> get(String key) {
                throw new EngineUnavailable("the store is away", null);
            }

            @Override
            public boolean replace(String key, long expectedVersion, String text, long keepMillis) {
                throw new EngineUnavailable("the store is away", null);
            }
        };
        RoomReads cutOff = new RoomReads();
        cutOff.documents = away;
        assertEquals(RoomReads.Positions.NONE, cutOff.of("fun"));
        WhisperReceipts receiptsCutOff = new WhisperReceipts();
        receiptsCutOff.documents = away;
        assertNull(receiptsCutOff.of("ann"));
    }

    private static List<String> receiptsOf(Recorded connection) {
        return connection.texts().get().stream().filter(t -> t.startsWith("{\"type\":\"receipts\"")).toList();
    }

    @Test
    void aWhisperIsSentThenDeliveredThenReadAndANewTabIsGreetedWithIt() {
        Recorded ann = online("ann");
        Recorded annOtherTab = online("ann");
        whispers.whisper(ann.connection(), "bob", "stored for later", "w1");
        assertTrue(receiptsOf(ann).isEmpty(), "bob has no connection: sent, not delivered");
        String id = chat.node.logs.read(Whispers.logOf("bob"), null, null).toCompletableFuture().join().entries().get(0).body()
                .replaceFirst(".*\"id\":\"([^\"]+)\".*", "$1");

        Recorded bob = online("bob");
        String delivered = "{\"type\":\"receipts\",\"with\":\"bob\",\"delivered\":\"" + id + "\"}";
        Awaitility.await("delivered, once bob's connection had it").atMost(Duration.ofSeconds(5))
                .until(() -> receiptsOf(ann).equals(List.of(delivered)) && receiptsOf(annOtherTab).equals(List.of(delivered)));

        receipts.read(bob.connection(), "ann", 1L, "r1");
        String read = "{\"type\":\"receipts\",\"with\":\"bob\",\"delivered\":\"" + id + "\",\"read\":\"" + id + "\"}";
        Awaitility.await("read").atMost(Duration.ofSeconds(5)).until(() -> receiptsOf(ann).equals(List.of(delivered, read)));
        Awaitility.await("bob's ack").atMost(Duration.ofSeconds(5))
                .until(() -> bob.last().equals("{\"type\":\"ack\",\"cid\":\"r1\",\"offset\":1,\"to\":\"ann\"}"));
        receipts.read(bob.connection(), "ann", 1L, "r2");
        Awaitility.await("the second ack").atMost(Duration.ofSeconds(5)).until(() -> bob.last().contains("\"cid\":\"r2\""));
        assertEquals(List.of(delivered, read), receiptsOf(ann), "read again: no news");

        Recorded annLater = online("ann");
        assertTrue(annLater.texts().get().get(0).endsWith(",\"receipts\":{\"bob\":{\"delivered\":\"" + id + "\",\"read\":\"" + id + "\"}}}"),
                annLater.texts().get().get(0));
    }

    @Test
    void aWhisperToSomeoneOnlineIsDeliveredAtOnceAndOnlyTheirOwnLogCounts() {
        Recorded ann = online("ann");
        Recorded bob = online("bob");
        whispers.whisper(ann.connection(), "bob", "hi", "w1");
        Awaitility.await("delivered").atMost(Duration.ofSeconds(5)).until(() -> receiptsOf(ann).size() == 1);
        assertTrue(receiptsOf(bob).isEmpty(), "bob's own copies tell nobody anything");
        receipts.read(bob.connection(), "ann", 2L, "r1");
        assertTrue(bob.last().contains("\"code\":\"bad_field\""), "beyond what bob was given: " + bob.last());
        receipts.read(bob.connection(), "no one", 1L, "r2");
        assertTrue(bob.last().contains("\"code\":\"bad_name\""), bob.last());
    }
}

package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engine.Entry;
import dev.switchboard.session.ConnectionClosed;
import dev.switchboard.session.TestTransports.Recorded;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rooms: joining (with recovery from an offset), saying once per client id, leaving, the rooms a connection may be in. */
class RoomsTest {

    /** A connection whose token grants nothing: what the default namespace asks of nobody. */
    private static final ConnectionRights NO_GRANTS = new ConnectionRights(Grants.NONE);

    private final TestChat chat = new TestChat("switchboard.connection.max-rooms", "2");
    private final Rooms rooms = chat.rooms;
    private final Recorded ann = chat.connect("ann");
    private final Recorded bob = chat.connect("bob");
    private final long ts = TestChat.NOW.toEpochMilli();

    @AfterEach
    void close() {
        chat.close();
    }

    private String epoch(String room) {
        return rooms.history(room, null).toCompletableFuture().join().epoch();
    }

    /** The id the store gave the message at this offset of the room. */
    private String idAt(String room, long offset) {
        Entry entry = rooms.history(room, null).toCompletableFuture().join().entries().stream()
                .filter(e -> e.offset() == offset).findFirst().orElseThrow();
        return entry.body().replaceFirst(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    private String message(String room, long offset, String from, String text) {
        return "{\"type\":\"message\",\"room\":\"" + room + "\",\"offset\":" + offset + ",\"from\":\"" + from
                + "\",\"id\":\"" + idAt(room, offset) + "\",\"text\":\"" + text + "\",\"ts\":" + ts + "}";
    }

    private static String error(String code, String message, String cid) {
        return "{\"type\":\"error\",\"cid\":\"" + cid + "\",\"code\":\"" + code + "\",\"message\":\"" + message + "\"}";
    }

    @Test
    void aJoinerIsToldWhoIsThereAndWhereTheRoomStandsThenEveryMemberGetsWhatIsSaid() {
        rooms.join(ann.connection(), NO_GRANTS, "lobby", null, null, null, "j1");
        rooms.join(bob.connection(), NO_GRANTS, "lobby", null, null, null, null);
        rooms.say(ann.connection(), NO_GRANTS, "lobby", "hello", "s1");
        assertEquals(List.of(
                "{\"type\":\"joined\",\"cid\":\"j1\",\"room\":\"lobby\",\"offset\":0,\"count\":1,\"members\":[\"ann\"],\"epoch\":\"" + epoch("lobby") + "\"}",
                message("lobby", 1, "ann", "hello"),
                "{\"type\":\"ack\",\"cid\":\"s1\",\"id\":\"" + idAt("lobby", 1) + "\",\"room\":\"lobby\",\"offset\":1}"),
                ann.texts().get(), "the message reaches its sender's connection too, before the ack");
        assertEquals(List.of(
                "{\"type\":\"joined\",\"room\":\"lobby\",\"offset\":0,\"count\":2,\"members\":[\"ann\",\"bob\"],\"epoch\":\"" + epoch("lobby") + "\"}",
                message("lobby", 1, "ann", "hello")), bob.texts().get());
    }

    @Test
    void aJoinIsAnnouncedToTheMembersAlreadyThere() {
        rooms.join(ann.connection(), NO_GRANTS, "lobby", null, null, null, null);
        chat.announcer.flush("lobby"); // ann's own join is old news by now
        rooms.join(bob.connection(), NO_GRANTS, "lobby", null, null, null, null);
        chat.announcer.flush("lobby");
        assertEquals("{\"type\":\"presence\",\"room\":\"lobby\",\"count\":2,\"joins\":[\"bob\"],\"leaves\":[]}", ann.last());
    }

    @Test
    void aJoinerFromAnOffsetGetsWhatItMissedAndIsToldItWasRecovered() {
        rooms.join(ann.connection(), NO_GRANTS, "lobby", null, null, null, null);
        rooms.say(ann.connection(), NO_GRANTS, "lobby", "one", null);
        rooms.say(ann.connection(), NO_GRANTS, "lobby", "two", null);
        rooms.join(bob.connection(), NO_GRANTS, "lobby", 1L, epoch("lobby"), null, null);
        assertEquals(List.of(
                "{\"type\":\"joined\",\"room\":\"lobby\",\"offset\":2,\"count\":2,\"members\":[\"ann\",\"bob\"],\"recovered\":true,\"epoch\":\"" + epoch("lobby") + "\"}",
                message("lobby", 2, "ann", "two")), bob.texts().get());
    }

    @Test
    void sayingIntoARoomNotJoinedIsRefusedAndTheSameClientIdMayBeUsedOnceJoined() {
        rooms.say(ann.connection(), NO_GRANTS, "lobby", "hello", "s1");
        assertEquals(error("not_joined", "Join 'lobby' first", "s1"), ann.last());
        rooms.join(ann.connection(), NO_GRANTS, "lobby", null, null, null, null);
        rooms.say(ann.connection(), NO_GRANTS, "lobby", "hello", "s1");
        assertTrue(ann.last().startsWith("{\"type\":\"ack\",\"cid\":\"s1\""), ann.last());
    }

    @Test
    void aRetryOfAMessageGetsItsAckAgainAndIsNotSaidTwice() {
        rooms.join(ann.connection(), NO_GRANTS, "lobby", null, null, null, null);
        rooms.say(ann.connection(), NO_GRANTS, "lobby", "hello", "s1");
        String ack = ann.last();
        rooms.say(ann.connection(), NO_GRANTS, "lobby", "hello", "s1");
        assertEquals(ack, ann.last());
        assertEquals(1, rooms.history("lobby", null).toCompletableFuture().join().entries().size());
    }

    @Test
    void roomNamesAreCheckedAndAMessageNeedsText() {
        rooms.join(ann.connection(), NO_GRANTS, null, null, null, null, "j1");
        assertEquals(error("missing_field", "A room is 1-64 letters, digits, '_', '-', '.', ':', '#'", "j1"), ann.last());
        rooms.join(ann.connection(), NO_GRANTS, "no spaces", null, null, null, "j2");
        assertEquals(error("bad_name", "A room is 1-64 letters, digits, '_', '-', '.', ':', '#'", "j2"), ann.last());
        rooms.join(ann.connection(), NO_GRANTS, "lobby", null, null, null, null);
        rooms.say(ann.connection(), NO_GRANTS, "lobby", "", "s1");
        assertEquals(error("missing_field", "Field 'text' is required", "s1"), ann.last());
    }

    @Test
    void aConnectionIsInAtMostTheRoomsAllowedAndMayRejoinOneItIsIn() {
        rooms.join(ann.connection(), NO_GRANTS, "one", null, null, null, null);
        rooms.join(ann.connection(), NO_GRANTS, "two", null, null, null, null);
        rooms.join(ann.connection(), NO_GRANTS, "three", null, null, null, "j3");
        assertEquals(error("too_many_rooms", "In 2 rooms already; leave one first", "j3"), ann.last());
        rooms.join(ann.connection(), NO_GRANTS, "two", null, null, null, "j4");
        assertTrue(ann.last().startsWith("{\"type\":\"joined\",\"cid\":\"j4\",\"room\":\"two\""), ann.last());
        rooms.leave(ann.connection(), NO_GRANTS, "one", null);
        rooms.join(ann.connection(), NO_GRANTS, "three", null, null, null, "j5");
        assertTrue(ann.last().startsWith("{\"type\":\"joined\",\"cid\":\"j5\",\"room\":\"three\""), ann.last());
    }

    @Test
    void aLeaverIsAcknowledgedGetsNothingMoreAndIsNoLongerAMember() {
        rooms.join(ann.connection(), NO_GRANTS, "lobby", null, null, null, null);
        rooms.join(bob.connection(), NO_GRANTS, "lobby", null, null, null, null);
        rooms.leave(bob.connection(), NO_GRANTS, "lobby", "l1");
        assertEquals("{\"type\":\"ack\",\"cid\":\"l1\",\"room\":\"lobby\"}", bob.last());
        int received = bob.texts().get().size();
        rooms.say(ann.connection(), NO_GRANTS, "lobby", "bye bob", null);
        assertEquals(received, bob.texts().get().size());
        assertEquals(List.of("ann"), rooms.members("lobby"));
    }

    @Test
    void plainTextGoesToTheDefaultRoomJoiningItFirst() {
        rooms.sayPlainText(ann.connection(), NO_GRANTS, "lobby", "just text", null);
        List<String> texts = ann.texts().get();
        assertEquals(3, texts.size(), texts.toString());
        assertTrue(texts.get(0).startsWith("{\"type\":\"joined\",\"room\":\"lobby\""), texts.get(0));
        assertEquals(message("lobby", 1, "ann", "just text"), texts.get(1));
        assertEquals("{\"type\":\"ack\",\"id\":\"" + idAt("lobby", 1) + "\",\"room\":\"lobby\",\"offset\":1}", texts.get(2),
                "acknowledged without a client id: the client learns the offset");
        assertEquals(List.of("ann"), rooms.members("lobby"));
    }

    @Test
    void aClosedConnectionLeavesItsRooms() {
        rooms.join(ann.connection(), NO_GRANTS, "lobby", null, null, null, null);
        rooms.join(bob.connection(), NO_GRANTS, "lobby", null, null, null, null);
        rooms.connectionClosed(new ConnectionClosed(bob.connection(), Set.of(Rooms.logOf("lobby"))));
        assertEquals(List.of("ann"), rooms.members("lobby"));
    }

    @Test
    void theSitesBackEndPublishesIntoARoomAsTheServer() {
        rooms.join(ann.connection(), NO_GRANTS, "lobby", null, null, null, null);
        Rooms.Published published = rooms.publish("lobby", null, "maintenance at noon", null).toCompletableFuture().join();
        assertEquals(1, published.offset());
        assertEquals("{\"type\":\"message\",\"room\":\"lobby\",\"offset\":1,\"from\":\"server\",\"id\":\"" + published.id()
                + "\",\"server\":true,\"text\":\"maintenance at noon\",\"ts\":" + ts + "}", ann.last());
    }
}

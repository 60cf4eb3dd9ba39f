package dev.switchboard.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engine.Entry;
import dev.switchboard.session.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A conversation's transcript: kept in order with offsets, followed from the start or from where a client was, and the list of closed ones. */
class TranscriptsTest {

    private final TestDesk desk = new TestDesk("switchboard.support.transcript.size", "3");
    private final Transcripts transcripts = desk.transcripts;
    private final TestDesk.Party carol = desk.customer("carol");

    @AfterEach
    void close() {
        desk.close();
    }

    private void said(String id, String text) {
        transcripts.append("c1", new Transcripts.Said(id, "carol", "customer", "Carol", text, 5));
    }

    private String epoch() {
        return transcripts.read("c1").toCompletableFuture().join().epoch();
    }

    private boolean follow(Connection connection, Long since, String epoch) {
        return transcripts.follow(connection, "c1", since, epoch).toCompletableFuture().join();
    }

    private static String message(long offset, String id, String text) {
        return "{\"type\":\"message\",\"conversation\":\"c1\",\"from\":\"carol\",\"id\":\"" + id
                + "\",\"name\":\"Carol\",\"offset\":" + offset + ",\"role\":\"customer\",\"text\":\"" + text + "\",\"ts\":5}";
    }

    @Test
    void aFollowerIsToldWhereTheTranscriptStandsThenGetsEachEntryWithItsOffsetThenWhatComes() {
        said("m1", "hello");
        transcripts.append("c1", new Transcripts.Happened("transferred", "ann", "bob", null, null, 6));
        assertTrue(follow(carol.participant().connection, null, null));
        said("m3", "still there?");
        assertEquals(List.of(
                "{\"type\":\"transcript\",\"conversation\":\"c1\",\"epoch\":\"" + epoch() + "\",\"lastOffset\":2}",
                message(1, "m1", "hello"),
                "{\"type\":\"event\",\"by\":\"ann\",\"conversation\":\"c1\",\"event\":\"transferred\",\"offset\":2,\"to\":\"bob\",\"ts\":6}",
                message(3, "m3", "still there?")), carol.texts());
        assertTrue(Transcripts.follows(carol.participant().connection, "c1"));
    }

    @Test
    void aClientBackFromAnOffsetInItsEpochGetsOnlyWhatItMissedAndIsToldItWasRecovered() {
        said("m1", "one");
        said("m2", "two");
        assertTrue(follow(carol.participant().connection, 1L, epoch()));
        assertEquals(List.of(
                "{\"type\":\"transcript\",\"conversation\":\"c1\",\"epoch\":\"" + epoch() + "\",\"lastOffset\":2,\"recovered\":true}",
                message(2, "m2", "two")), carol.texts());
    }

    @Test
    void aClientFromAnotherEpochGetsWhatIsKeptAndIsToldItsPlaceWasNotRecovered() {
        said("m1", "one");
        assertTrue(follow(carol.participant().connection, 1L, "gone-epoch"));
        assertEquals(List.of(
                "{\"type\":\"transcript\",\"conversation\":\"c1\",\"epoch\":\"" + epoch() + "\",\"lastOffset\":1,\"recovered\":false}",
                message(1, "m1", "one")), carol.texts());
    }

    @Test
    void aTranscriptKeepsItsLastEntriesUpToTheSetSize() {
        for (int i = 1; i <= 5; i++) {
            said("m" + i, "n" + i);
        }
        assertEquals(List.of(3L, 4L, 5L), transcripts.read("c1").toCompletableFuture().join().entries().stream()
                .map(Entry::offset).toList(), "switchboard.support.transcript.size is 3");
    }

    @Test
    void aConnectionThatStopsFollowingGetsNothingMore() {
        follow(carol.participant().connection, null, null);
        transcripts.unfollow(carol.participant().connection, "c1");
        said("m1", "anyone?");
        assertEquals(1, carol.texts().size(), "the transcript frame only");
        assertFalse(Transcripts.follows(carol.participant().connection, "c1"));
    }

    @Test
    void aClosedConnectionFollowsNothing() {
        Connection gone = carol.participant().connection;
        gone.close(null);
        Awaitility.await("carol's connection to close").atMost(5, TimeUnit.SECONDS).until(gone::isClosed);
        assertFalse(follow(gone, null, null));
        assertFalse(Transcripts.follows(gone, "c1"));
    }

    @Test
    void closedConversationsAreListedOldestFirst() {
        for (String id : List.of("c1", "c2")) {
            transcripts.listClosed(new Transcripts.ClosedConversation(id, "carol", "Carol", null, null, "ann", 1, 2, 3));
        }
        assertEquals(List.of(
                "{\"agent\":\"ann\",\"answeredAt\":2,\"closedAt\":3,\"conversation\":\"c1\",\"customer\":\"carol\",\"customerName\":\"Carol\",\"queuedAt\":1}",
                "{\"agent\":\"ann\",\"answeredAt\":2,\"closedAt\":3,\"conversation\":\"c2\",\"customer\":\"carol\",\"customerName\":\"Carol\",\"queuedAt\":1}"),
                transcripts.closed().toCompletableFuture().join().entries().stream().map(Entry::body).toList());
    }
}

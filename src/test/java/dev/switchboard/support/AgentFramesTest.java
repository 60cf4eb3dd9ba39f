package dev.switchboard.support;

import static dev.switchboard.support.TestDesk.assertAck;
import static dev.switchboard.support.TestDesk.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * What only agents do: set their status, accept an offer, take a waiting customer, transfer; and which
 * refusal each gets (not_found when the conversation is not open, forbidden when it is another agent's,
 * conflict when someone moved first or there is no free seat).
 */
class AgentFramesTest {

    private static final String NO_SUCH = "0123456789abcdef0123";

    @AutoClose
    private final TestDesk desk = new TestDesk();
    private final TestDesk.Party carol = desk.customer("carol");
    private final TestDesk.Party ann = desk.agent("ann", 1);
    private final TestDesk.Party bob = desk.agent("bob", 1);


    private Desk.Conversation stored(String id) {
        return desk.store.read().desk().conversations.get(id);
    }

    /** Carol's conversation, closed by her. */
    private String closed() {
        String id = desk.start(carol);
        desk.send(carol, "{'type':'close','conversation':'" + id + "','cid':'close'}");
        assertAck(carol.answer("close"), id);
        return id;
    }

    @Test
    void anAgentBecomingAvailableIsAckedAndOfferedTheWaitingCustomer() {
        String id = desk.start(carol);
        assertEquals("queued", carol.last("status").getString("state"), "everyone is away");
        desk.available(ann);
        assertEquals("offered", carol.last("status").getString("state"));
        assertEquals("ann", carol.last("status").getString("agent"));
        JsonObject mine = ann.last("desk").getJsonArray("mine").getJsonObject(0);
        assertEquals(id, mine.getString("conversation"));
        assertEquals("offered", mine.getString("state"));
        assertEquals("available", ann.last("desk").getString("status"));
    }

    @Test
    void anAgentWhoWentAwayIsOfferedNothing() {
        desk.available(ann);
        desk.send(ann, "{'type':'status','status':'away','cid':'away'}");
        assertAck(ann.answer("away"), null);
        desk.start(carol);
        assertEquals("queued", carol.last("status").getString("state"));
        assertEquals(0, desk.store.read().desk().load("ann"));
    }

    @Test
    void aStatusOtherThanAvailableOrAwayIsRefusedBadField() {
        desk.send(ann, "{'type':'status','status':'busy','cid':'s1'}");
        assertRefused(ann.answer("s1"), "bad_field");
        assertEquals(Desk.Status.AWAY, desk.store.read().desk().agents.get("ann").status);
    }

    @Test
    void anAgentAcceptingTheirOfferIsAckedAndTheCustomerSeesThemAnswer() {
        desk.available(ann);
        String id = desk.start(carol);
        assertAck(desk.about(ann, "accept", id, ""), id);
        assertEquals("active", carol.last("status").getString("state"));
        assertEquals("ann", carol.last("status").getString("agent"));
        assertEquals(1, desk.store.read().desk().today.answered);
    }

    @Test
    void anAgentAcceptingAnOfferThatWentToAnotherAgentIsConflict() {
        desk.available(ann);
        String id = desk.start(carol);
        assertRefused(desk.about(bob, "accept", id, ""), "conflict");
        assertEquals(Desk.State.OFFERED, stored(id).state);
        assertEquals("ann", stored(id).agent);
    }

    @Test
    void anAgentAcceptingAConversationNoLongerOpenIsNotFound() {
        assertRefused(desk.about(ann, "accept", closed(), ""), "not_found");
        assertRefused(desk.about(bob, "accept", NO_SUCH, ""), "not_found");
    }

    @Test
    void anAgentTakingAWaitingCustomerAheadOfTheQueueAnswersThem() {
        TestDesk.Party dave = desk.customer("dave");
        String first = desk.start(carol);
        String second = desk.start(dave);
        assertAck(desk.about(ann, "take", second, ""), second);
        assertEquals("active", dave.last("status").getString("state"));
        assertEquals("ann", stored(second).agent);
        assertEquals(1, carol.last("status").getInt("position"), "carol is still first in line");
        assertEquals(Desk.State.QUEUED, stored(first).state);
    }

    @Test
    void anAgentTakingAMessageLeftWhileNobodyWasThereAnswersIt() {
        desk.send(carol, "{'type':'leave_message','text':'call me back','cid':'m1'}");
        String id = carol.answer("m1").getString("conversation");
        assertAck(desk.about(ann, "take", id, ""), id);
        assertEquals(Desk.State.ACTIVE, stored(id).state);
        assertEquals("call me back", ann.last("message").getString("text"), "hers now: she reads the message");
    }

    @Test
    void anAgentTakingAConversationAnotherAgentTookIsConflict() {
        String id = desk.start(carol);
        desk.about(ann, "take", id, "");
        assertRefused(desk.about(bob, "take", id, ""), "conflict");
        assertEquals("ann", stored(id).agent);
    }

    @Test
    void anAgentWithNoFreeSeatCannotTakeAnother() {
        TestDesk.Party dave = desk.customer("dave");
        String id = desk.carolWithAnn(carol, ann);
        String waiting = desk.start(dave);
        assertRefused(desk.about(ann, "take", waiting, ""), "conflict");
        assertEquals(Desk.State.QUEUED, stored(waiting).state);
        assertEquals(Desk.State.ACTIVE, stored(id).state);
    }

    @Test
    void anAgentTakingAConversationNoLongerOpenIsNotFound() {
        assertRefused(desk.about(ann, "take", closed(), ""), "not_found");
    }

    @Test
    void anAgentTransferringToAColleagueIsAckedAndTheColleagueIsOfferedItWithTheWholeTranscript() {
        String id = desk.carolWithAnn(carol, ann);
        desk.available(bob);
        assertAck(desk.about(ann, "transfer", id, ",'to':'bob'"), id);
        assertEquals(TestDesk.json("{'type':'released','conversation':'" + id + "'}"), ann.last(), "no longer hers");
        assertEquals("offered", carol.last("status").getString("state"));
        assertEquals("bob", carol.last("status").getString("agent"));
        assertTrue(Transcripts.follows(bob.participant().connection, id), "bob reads along");
        JsonObject transferred = desk.lastEntry(id);
        assertEquals("transferred", transferred.getString("event"));
        assertEquals("ann", transferred.getString("by"));
        assertEquals("bob", transferred.getString("to"));
        assertEquals(desk.transcript(id).size(), transferred.getInt("offset"), "the last entry");
        assertEquals(transferred, bob.last("event"), "bob was told it too");
    }

    @Test
    void aTransferWithoutATargetGoesBackToTheQueueAndToAnotherAgentFirst() {
        String id = desk.carolWithAnn(carol, ann);
        desk.available(bob);
        assertAck(desk.about(ann, "transfer", id, ""), id);
        assertEquals("bob", stored(id).agent, "back at the head of the queue, and bob has a free seat");
        JsonObject transferred = desk.lastEntry(id);
        assertEquals("transferred", transferred.getString("event"));
        assertFalse(transferred.containsKey("to"), transferred.toString());
    }

    @Test
    void aTransferToAnAgentWithoutAFreeSeatOfflineOrUnknownIsConflictAndTheConversationStays() {
        String id = desk.carolWithAnn(carol, ann);
        TestDesk.Party dave = desk.customer("dave");
        desk.available(bob);
        desk.start(dave); // bob's only seat
        assertRefused(desk.about(ann, "transfer", id, ",'to':'bob'"), "conflict");
        desk.store.change(d -> {
            d.agentOffline("bob", TestDesk.NOW.toEpochMilli());
            return null;
        });
        desk.send(ann, "{'type':'transfer','conversation':'" + id + "','to':'bob','cid':'offline'}");
        assertRefused(ann.answer("offline"), "conflict");
        desk.send(ann, "{'type':'transfer','conversation':'" + id + "','to':'nobody','cid':'unknown'}");
        assertRefused(ann.answer("unknown"), "conflict");
        assertEquals("ann", stored(id).agent);
        assertEquals(Desk.State.ACTIVE, stored(id).state);
    }

    @Test
    void aTransferOfAnotherAgentsConversationIsForbiddenEvenForASupervisor() {
        String id = desk.carolWithAnn(carol, ann);
        assertRefused(desk.about(bob, "transfer", id, ""), "forbidden");
        assertRefused(desk.about(desk.supervisor("sue"), "transfer", id, ""), "forbidden");
        assertEquals("ann", stored(id).agent);
    }

    @Test
    void aTransferOfAConversationNoLongerOpenIsNotFound() {
        assertRefused(desk.about(ann, "transfer", closed(), ",'to':'bob'"), "not_found");
    }
}

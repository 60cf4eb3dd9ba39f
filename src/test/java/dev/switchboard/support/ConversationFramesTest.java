package dev.switchboard.support;

import static dev.switchboard.support.TestDesk.assertAck;
import static dev.switchboard.support.TestDesk.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.switchboard.engine.Entry;
import dev.switchboard.testing.DeskClient;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * What both sides of a conversation do (say, typing, read, close), and who is a party to it: its
 * customer, the agent it is offered to or handled by, a supervisor; nobody else.
 */
class ConversationFramesTest {

    @AutoClose
    private final TestDesk desk = new TestDesk();
    private final TestDesk.Party carol = desk.customer("carol");
    private final TestDesk.Party ann = desk.agent("ann", 1);
    private final TestDesk.Party bob = desk.agent("bob", 1);


    private JsonObject say(TestDesk.Party from, String conversation, String text) {
        return desk.about(from, "say", conversation, ",'text':'" + text + "'");
    }


    /** A message frame as a party to the conversation receives it. */
    private static void assertMessage(JsonObject message, String conversation, long offset, String from, String role,
            String name, String text) {
        assertEquals(List.of("message", conversation, offset, from, role, name, text), List.of(message.getString("type"),
                message.getString("conversation"), message.getJsonNumber("offset").longValue(), message.getString("from"),
                message.getString("role"), message.getString("name"), message.getString("text")), message.toString());
    }

    @Test
    void aCustomerSayingSomethingIsAckedWithItsOffsetAndIdAndTheAgentReadsIt() {
        String id = desk.carolWithAnn(carol, ann);
        JsonObject ack = say(carol, id, "where is my parcel?");
        assertEquals(List.of("ack", "say", id, 1), List.of(ack.getString("type"), ack.getString("cid"),
                ack.getString("conversation"), ack.getInt("offset")), ack.toString());
        assertMessage(ann.last("message"), id, 1, "carol", "customer", "Customer carol", "where is my parcel?");
        assertEquals(ack.getString("id"), ann.last("message").getString("id"));
        assertEquals(ann.last("message"), carol.last("message"), "carol reads her own message in the transcript too");
    }

    @Test
    void anAgentsFirstWordOnAnOfferAcceptsIt() {
        desk.available(ann);
        String id = desk.start(carol);
        say(ann, id, "Hello!");
        assertEquals(Desk.State.ACTIVE, desk.store.read().desk().conversations.get(id).state);
        assertEquals(1, desk.store.read().desk().today.answered);
        assertMessage(carol.last("message"), id, 1, "ann", "agent", "ann", "Hello!");
    }

    @Test
    void aRetriedSayIsStoredOnceAndAnsweredWithTheSameAck() {
        String id = desk.carolWithAnn(carol, ann);
        desk.send(carol, "{'type':'say','conversation':'" + id + "','text':'hi','cid':'m1'}");
        desk.send(carol, "{'type':'say','conversation':'" + id + "','text':'hi','cid':'m1'}");
        List<JsonObject> acks = carol.frames().stream().filter(f -> "m1".equals(f.getString("cid", null))).toList();
        assertEquals(2, acks.size(), carol.texts().toString());
        assertEquals(acks.get(0), acks.get(1));
        assertEquals(1, desk.transcript(id).size());
    }

    @Test
    void aSayWithoutTextOrConversationIsMissingFieldAndWithAMalformedIdBadField() {
        String id = desk.carolWithAnn(carol, ann);
        assertRefused(say(carol, id, ""), "missing_field");
        desk.send(carol, "{'type':'say','text':'hi','cid':'s2'}");
        assertRefused(carol.answer("s2"), "missing_field");
        desk.send(carol, "{'type':'say','conversation':'ABC','text':'hi','cid':'s3'}");
        assertRefused(carol.answer("s3"), "bad_field");
        assertEquals(List.of(), desk.transcript(id));
    }

    @Test
    void aCustomerSpeakingInAnotherCustomersConversationIsForbiddenWhateverTheFrame() {
        String id = desk.carolWithAnn(carol, ann);
        TestDesk.Party dave = desk.customer("dave");
        for (String type : List.of("say", "typing", "read", "close")) {
            assertRefused(desk.about(dave, type, id, ",'text':'hi'"), "forbidden");
        }
        assertEquals(List.of(), desk.transcript(id));
        assertEquals(List.of(), ann.frames().stream().filter(f -> f.getString("type").matches("typing|read")).toList());
    }

    @Test
    void anAgentSpeakingInAnOpenConversationNotTheirsIsForbiddenAndInOneNotOpenNotFound() {
        String id = desk.carolWithAnn(carol, ann);
        TestDesk.Party dave = desk.customer("dave");
        String queued = desk.start(dave);
        assertRefused(say(bob, id, "hi"), "forbidden");
        assertRefused(desk.about(bob, "typing", queued, ""), "forbidden");
        assertRefused(desk.about(bob, "close", "0123456789abcdef0123", ""), "not_found");
    }

    @Test
    void anAgentWhoTransferredAConversationIsNoLongerAParty() {
        String id = desk.carolWithAnn(carol, ann);
        desk.available(bob);
        desk.about(ann, "transfer", id, ",'to':'bob'");
        assertRefused(say(ann, id, "still here"), "forbidden");
        assertEquals(2, say(bob, id, "bob here").getInt("offset"), "offered to bob, his to speak in: after the transfer's event");
    }

    @Test
    void aSupervisorMaySpeakInAndCloseAnyOpenConversation() {
        String id = desk.carolWithAnn(carol, ann);
        TestDesk.Party sue = desk.supervisor("sue");
        assertEquals(1, say(sue, id, "Supervisor here").getInt("offset"));
        assertMessage(carol.last("message"), id, 1, "sue", "supervisor", "sue", "Supervisor here");
        assertAck(desk.about(sue, "close", id, ""), id);
        assertEquals("sue", desk.lastEntry(id).getString("by"));
    }

    @Test
    void typingIsToldToTheOtherSideAndNotBackToTheTypist() {
        String id = desk.carolWithAnn(carol, ann);
        desk.send(carol, "{'type':'typing','conversation':'" + id + "'}");
        assertEquals(TestDesk.json("{'type':'typing','conversation':'" + id + "','role':'customer','from':'Customer carol'}"),
                ann.last());
        assertEquals(List.of(), carol.frames().stream().filter(f -> f.getString("type").equals("typing")).toList());
        assertEquals(List.of(), desk.transcript(id), "stored nowhere");
    }

    @Test
    void aReadReceiptTellsTheOtherSideHowFarThisSideHasRead() {
        String id = desk.carolWithAnn(carol, ann);
        say(carol, id, "one");
        desk.send(ann, "{'type':'read','conversation':'" + id + "','offset':1}");
        assertEquals(TestDesk.json("{'type':'read','conversation':'" + id + "','role':'agent','from':'ann','offset':1}"),
                carol.last());
    }

    @Test
    void aCustomerClosingTheirConversationIsAckedTheTranscriptSaysByWhomAndTheAgentIsReleased() {
        String id = desk.carolWithAnn(carol, ann);
        assertAck(desk.about(carol, "close", id, ""), id);
        JsonObject closed = desk.lastEntry(id);
        assertEquals(List.of("event", "closed", "carol", 1), List.of(closed.getString("type"), closed.getString("event"),
                closed.getString("by"), closed.getInt("offset")), closed.toString());
        assertEquals(TestDesk.json("{'type':'released','conversation':'" + id + "'}"), ann.last());
        List<Entry> listed = desk.transcripts.closed().toCompletableFuture().join().entries();
        assertEquals(1, listed.size());
        assertEquals(id, DeskClient.parse(listed.get(0).body()).getString("conversation"));
        assertFalse(desk.store.read().desk().conversations.containsKey(id));
    }

    @Test
    void anAgentClosesTheirConversationButNotAnotherAgents() {
        String id = desk.carolWithAnn(carol, ann);
        assertRefused(desk.about(bob, "close", id, ""), "forbidden");
        assertAck(desk.about(ann, "close", id, ""), id);
        assertEquals("ann", desk.lastEntry(id).getString("by"));
        desk.send(ann, "{'type':'close','conversation':'" + id + "','cid':'again'}");
        assertRefused(ann.answer("again"), "not_found");
    }
}

package dev.switchboard.support;

import static dev.switchboard.support.TestDesk.assertAck;
import static dev.switchboard.support.TestDesk.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What only customers do: start (or resume) a conversation, leave a message when nobody is there, rate a closed one. */
class CustomerFramesTest {

    @AutoClose
    private final TestDesk desk = new TestDesk();
    private final TestDesk.Party carol = desk.customer("carol");
    private final TestDesk.Party ann = desk.agent("ann", 1);

    private Desk.Conversation stored(String id) {
        return desk.store.read().desk().conversations.get(id);
    }

    @Test
    void aCustomerStartingWhileAnAgentIsAvailableIsAckedFollowsTheTranscriptAndIsOfferedToThatAgent() {
        desk.available(ann);
        String id = desk.start(carol);
        assertTrue(id.matches("[0-9a-f]{20}"), id);
        List<JsonObject> got = carol.frames();
        assertEquals(List.of("transcript", "ack", "status"), got.stream().map(f -> f.getString("type")).toList());
        assertEquals(0, got.get(0).getInt("lastOffset"), "a new conversation's transcript is empty");
        assertEquals("offered", got.get(2).getString("state"));
        assertEquals("ann", got.get(2).getString("agent"));
        assertEquals(id, ann.last("desk").getJsonArray("mine").getJsonObject(0).getString("conversation"));
    }

    @Test
    void aCustomerStartingAgainResumesTheirOpenConversationRatherThanQueueASecond() {
        desk.available(ann);
        String id = desk.start(carol);
        desk.send(carol, "{'type':'start','cid':'again'}");
        assertAck(carol.answer("again"), id);
        assertEquals(1, desk.store.read().desk().conversationsOf("carol").size());
        assertEquals(1, carol.frames().stream().filter(f -> f.getString("type").equals("transcript")).count(),
                "already following it: the transcript is not sent again");
    }

    @Test
    void aCustomerStartingWithAFirstMessageFindsItFirstInTheTranscript() {
        desk.available(ann);
        desk.send(carol, "{'type':'start','text':'my order is late','cid':'s1'}");
        String id = carol.answer("s1").getString("conversation");
        JsonObject message = carol.last("message");
        assertEquals(id, message.getString("conversation"));
        assertEquals(1, message.getInt("offset"));
        assertEquals("my order is late", message.getString("text"));
        assertEquals("Customer carol", message.getString("name"));
        assertEquals("customer", message.getString("role"));
        assertEquals(message, ann.last("message"), "offered to ann: she reads along");
    }

    /** The customer starts, is told nobody takes conversations now (and why), and nothing is queued. */
    private static void assertStartAnsweredNoAgents(TestDesk desk, TestDesk.Party customer, String reason) {
        desk.send(customer, "{'type':'start','cid':'s1'}");
        JsonObject answer = customer.answer("s1");
        assertEquals("no_agents", answer.getString("type"));
        assertEquals(reason, answer.getString("reason"));
        assertEquals(List.of(), desk.store.read().desk().conversationsOf(customer.participant().user));
    }

    @Test
    void aCustomerStartingWithNoAgentOnlineIsToldNobodyIsThereAndNothingIsQueued() {
        desk.store.change(d -> {
            d.agentOffline("ann", TestDesk.NOW.toEpochMilli());
            return null;
        });
        assertStartAnsweredNoAgents(desk, carol, "nobody");
    }

    @Test
    void aCustomerStartingOutsideBusinessHoursIsToldTheDeskIsClosedEvenWithAnAgentOnline() {
        try (TestDesk closedNow = new TestDesk("switchboard.support.hours", "Mon-Fri 12:00-17:00")) { // it is Tuesday 10:00
            closedNow.available(closedNow.agent("bob", 1));
            assertStartAnsweredNoAgents(closedNow, closedNow.customer("dave"), "hours");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{'type':'start','department':'no spaces','cid':'s1'}  | bad_name",
        "{'type':'leave_message','text':'  ','cid':'s1'}       | missing_field"})
    void aStartInAMalformedDepartmentOrAMessageWithoutTextIsRefusedAndNothingStarts(String json, String code) {
        desk.send(carol, json);
        assertRefused(carol.answer("s1"), code);
        assertEquals(List.of(), desk.store.read().desk().conversationsOf("carol"));
    }

    @Test
    void aCustomerLeavingAMessageIsAckedWithItsOffsetAndAgentsSeeItWithTheEmailGiven() {
        desk.send(carol, "{'type':'leave_message','text':'call me back','email':'c@example.org','department':'sales','cid':'m1'}");
        JsonObject ack = carol.answer("m1");
        assertEquals("ack", ack.getString("type"));
        assertEquals(1, ack.getInt("offset"));
        String id = ack.getString("conversation");
        assertEquals(ack.getString("id"), desk.transcript(id).get(0).getString("id"), "the ack names the message stored");
        Desk.Conversation left = stored(id);
        assertEquals(Desk.State.MESSAGE, left.state);
        assertEquals("c@example.org", left.email);
        assertEquals("sales", left.department);
        JsonObject line = ann.last("desk").getJsonArray("messages").getJsonObject(0);
        assertEquals(id, line.getString("conversation"));
        assertEquals("c@example.org", line.getString("email"));
    }

    @Test
    void aMessageLeftWithAMalformedEmailOrDepartmentKeepsTheTokensOwnAndNoDepartment() {
        desk.send(carol, "{'type':'leave_message','text':'hi','email':'not-an-email','department':'no spaces','cid':'m1'}");
        Desk.Conversation left = stored(carol.answer("m1").getString("conversation"));
        assertEquals("carol@example.com", left.email);
        assertEquals(null, left.department);
    }

    @Test
    void aRetriedMessageLeavesOneMessageAndIsAnsweredWithTheSameAck() {
        desk.send(carol, "{'type':'leave_message','text':'call me back','cid':'m1'}");
        JsonObject first = carol.answer("m1");
        desk.send(carol, "{'type':'leave_message','text':'call me back','cid':'m1'}");
        assertEquals(List.of(first, first), carol.frames().stream().filter(f -> "m1".equals(f.getString("cid", null))).toList());
        assertEquals(1, desk.store.read().desk().conversationsOf("carol").size());
    }

    /** Carol's conversation with ann, closed by carol; its id. */
    private String closedConversation() {
        String id = desk.carolWithAnn(carol, ann);
        desk.send(carol, "{'type':'close','conversation':'" + id + "','cid':'close'}");
        assertAck(carol.answer("close"), id);
        return id;
    }

    @Test
    void aCustomerRatingTheirClosedConversationIsAckedAndTheTranscriptTellsTheScoreAndComment() {
        String id = closedConversation();
        desk.send(carol, "{'type':'rate','conversation':'" + id + "','score':4,'comment':'quick','cid':'r1'}");
        assertAck(carol.answer("r1"), id);
        List<JsonObject> transcript = desk.transcript(id);
        JsonObject rated = transcript.get(transcript.size() - 1);
        assertEquals("rated", rated.getString("event"));
        assertEquals("carol", rated.getString("by"));
        assertEquals(4, rated.getInt("score"));
        assertEquals("quick", rated.getString("comment"));
        assertEquals(transcript.size(), rated.getInt("offset"), "after the close, the last entry");
        assertEquals(1, desk.store.read().desk().today.ratings);
    }

    @Test
    void aLongCommentIsKeptToItsFirstThousandCharacters() {
        String id = closedConversation();
        desk.send(carol, "{'type':'rate','conversation':'" + id + "','score':5,'comment':'" + "x".repeat(1500) + "','cid':'r1'}");
        assertEquals("x".repeat(1000), desk.lastEntry(id).getString("comment"));
    }

    @Test
    void aCustomerRatingTwiceIsConflictAndCountedOnce() {
        String id = closedConversation();
        desk.send(carol, "{'type':'rate','conversation':'" + id + "','score':4,'cid':'r1'}");
        desk.send(carol, "{'type':'rate','conversation':'" + id + "','score':1,'cid':'r2'}");
        assertRefused(carol.answer("r2"), "conflict");
        assertEquals(1, desk.store.read().desk().today.ratings);
        assertEquals(4, desk.store.read().desk().today.ratingTotal);
    }

    @Test
    void aCustomerRatingTheirOpenConversationIsConflict() {
        String id = desk.carolWithAnn(carol, ann);
        desk.send(carol, "{'type':'rate','conversation':'" + id + "','score':4,'cid':'r1'}");
        assertRefused(carol.answer("r1"), "conflict");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 6, 4_294_967_297L}) // negative ones are bad_field, refused as the frame is read
    void aScoreOutsideOneToFiveIsConflictAndNotCounted(long score) {
        String id = closedConversation();
        desk.send(carol, "{'type':'rate','conversation':'" + id + "','score':" + score + ",'cid':'r1'}");
        assertRefused(carol.answer("r1"), "conflict");
        assertEquals(0, desk.store.read().desk().today.ratings);
    }

    @Test
    void aRateWithoutAScoreIsConflict() {
        String id = closedConversation();
        desk.send(carol, "{'type':'rate','conversation':'" + id + "','cid':'r1'}");
        assertRefused(carol.answer("r1"), "conflict");
    }

    @Test
    void aCustomerRatingAConversationNotTheirsIsForbiddenOpenOrClosed() {
        TestDesk.Party dave = desk.customer("dave");
        String id = desk.carolWithAnn(carol, ann);
        desk.send(dave, "{'type':'rate','conversation':'" + id + "','score':5,'cid':'open'}");
        assertRefused(dave.answer("open"), "forbidden");
        desk.send(carol, "{'type':'close','conversation':'" + id + "','cid':'close'}");
        desk.send(dave, "{'type':'rate','conversation':'" + id + "','score':5,'cid':'closed'}");
        assertRefused(dave.answer("closed"), "forbidden");
        desk.send(dave, "{'type':'rate','conversation':'0123456789abcdef0123','score':5,'cid':'none'}");
        assertRefused(dave.answer("none"), "forbidden");
        assertEquals(0, desk.store.read().desk().today.ratings);
    }

    @Test
    void aRateWithoutAConversationIsMissingFieldAndWithAMalformedOneBadField() {
        desk.send(carol, "{'type':'rate','score':5,'cid':'r1'}");
        assertRefused(carol.answer("r1"), "missing_field");
        desk.send(carol, "{'type':'rate','conversation':'../../etc','score':5,'cid':'r2'}");
        assertRefused(carol.answer("r2"), "bad_field");
    }
}

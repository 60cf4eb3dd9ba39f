package dev.switchboard.support;

import static dev.switchboard.support.TestDesk.assertAck;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.switchboard.testing.MovableClock;
import dev.switchboard.testing.WebhookReceiver;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the desk tells the site's back end, as a real receiver gets it. */
class DeskEventsTest {

    private static final String SECRET = "the-webhook-secret-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final WebhookReceiver receiver;
    private final TestDesk desk;

    DeskEventsTest() throws Exception {
        receiver = new WebhookReceiver(SECRET);
        desk = new TestDesk("switchboard.webhooks.url", receiver.url(), "switchboard.webhooks.secret", SECRET,
                "switchboard.webhooks.events", "support.*", "switchboard.webhooks.queue-waiting", "2m",
                "switchboard.support.customer-grace", "10m"); // rounds here see no customer connected: none abandons
    }

    @AfterEach
    void stop() {
        desk.close();
        receiver.close();
    }

    @Test
    void aMessageLeftIsToldWithWhatTheTeamNeedsToAnswerIt() throws Exception {
        TestDesk.Party carol = desk.customer("carol");
        desk.send(carol, "{'type':'leave_message','text':'call me back','email':'c@example.org','department':'sales','cid':'m1'}");
        String id = carol.answer("m1").getString("conversation");
        WebhookReceiver.Request left = receiver.nextDelivered(WAIT);
        assertEquals("support.message_left", left.type());
        JsonObject data = left.data();
        assertEquals(id, data.getString("conversation"));
        assertEquals("carol", data.getString("customer"));
        assertEquals("Customer carol", data.getString("name"));
        assertEquals("c@example.org", data.getString("email"));
        assertEquals("sales", data.getString("department"));
        assertEquals("call me back", data.getString("text"));
        assertEquals("/api/support/conversations/" + id, data.getString("transcript"));
    }

    @Test
    void aClosedConversationIsToldWithItsTranscriptAndItsRatingAfter() throws Exception {
        TestDesk.Party carol = desk.customer("carol");
        TestDesk.Party ann = desk.agent("ann", 1);
        String id = desk.carolWithAnn(carol, ann);
        desk.send(carol, "{'type':'close','conversation':'" + id + "','cid':'close'}");
        assertAck(carol.answer("close"), id);
        desk.send(carol, "{'type':'rate','conversation':'" + id + "','score':4,'comment':'quick','cid':'r1'}");
        assertAck(carol.answer("r1"), id);

        JsonObject closed = receiver.nextDelivered(WAIT).data();
        assertEquals(List.of(id, "carol", "ann", "carol", "/api/support/conversations/" + id),
                List.of(closed.getString("conversation"), closed.getString("customer"), closed.getString("agent"),
                        closed.getString("by"), closed.getString("transcript")));
        assertFalse(closed.isNull("answeredAt"));
        WebhookReceiver.Request rated = receiver.nextDelivered(WAIT);
        assertEquals("support.conversation_rated", rated.type());
        assertEquals(4, rated.data().getInt("score"));
        assertEquals("quick", rated.data().getString("comment"));
    }

    @Test
    void aCustomerWaitingPastTheSettingIsToldOnceHoweverManyRoundsSeeIt() throws Exception {
        MovableClock clock = new MovableClock(TestDesk.NOW);
        desk.time.clock = clock;
        desk.agent("ann", 1); // online but away: carol waits in the queue
        TestDesk.Party carol = desk.customer("carol");
        String id = desk.start(carol);
        desk.ticker.tick();
        clock.advance(Duration.ofSeconds(119));
        desk.ticker.tick();
        clock.advance(Duration.ofSeconds(2));
        desk.ticker.tick();
        desk.ticker.tick();
        desk.ticker.tick();
        desk.send(carol, "{'type':'close','conversation':'" + id + "','cid':'close'}"); // the marker: closed after
        assertAck(carol.answer("close"), id);

        WebhookReceiver.Request waiting = receiver.nextDelivered(WAIT);
        assertEquals("support.queue_waiting", waiting.type());
        assertEquals(id, waiting.data().getString("conversation"));
        assertEquals(121, waiting.data().getInt("waitedSeconds"));
        assertEquals("support.conversation_closed", receiver.nextDelivered(WAIT).type(), "told once, then the close");
    }
}

package dev.switchboard.support;

import static dev.switchboard.support.TestDesk.assertAck;
import static dev.switchboard.support.TestDesk.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.session.Channel;
import dev.switchboard.session.ConnectionClosed;
import dev.switchboard.session.TestTransports;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A desk connection's frames checked against its role and rate before they go to what that side
 * does, and its clean-up when it closes: an agent's last connection takes them offline, a customer's
 * marks their conversation gone, safely again when the clean-up is retried.
 */
class SupportServiceTest {

    private static final long NOW = TestDesk.NOW.toEpochMilli();

    @AutoClose
    private final TestDesk desk = new TestDesk("switchboard.rate.chat.per-second", "1", "switchboard.rate.chat.burst", "2");
    private final TestDesk.Party carol = desk.customer("carol");
    private final TestDesk.Party ann = desk.agent("ann", 1);

    /** The party's connection is present at the desk, as opening it makes it. */
    private TestDesk.Party here(TestDesk.Party party) {
        boolean staff = party.participant().role.isStaff();
        desk.service.presence.enter(staff ? SupportService.AGENTS_HERE : SupportService.CUSTOMERS_HERE,
                party.participant().user, party.participant().connection.id());
        return party;
    }

    private void closed(TestDesk.Party party, boolean retried) {
        desk.service.connectionClosed(new ConnectionClosed(party.participant().connection, Set.of(), retried));
    }

    private Desk stored() {
        return desk.store.read().desk();
    }

    @ParameterizedTest
    @ValueSource(strings = {"start", "leave_message", "rate"})
    void aCustomersFrameFromAnAgentIsForbiddenAndDoesNothing(String type) {
        desk.send(ann, "{'type':'" + type + "','conversation':'0123456789abcdef0123','text':'hi','score':5,'cid':'x'}");
        assertRefused(ann.answer("x"), "forbidden");
        assertEquals(Set.of(), stored().conversations.keySet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "accept", "take", "transfer"})
    void anAgentsFrameFromACustomerIsForbiddenAndDoesNothing(String type) {
        desk.available(ann);
        String id = desk.start(carol);
        desk.send(carol, "{'type':'" + type + "','conversation':'" + id + "','status':'away','to':'ann','cid':'x'}");
        assertRefused(carol.answer("x"), "forbidden");
        assertEquals(Desk.State.OFFERED, stored().conversations.get(id).state);
        assertEquals(Desk.Status.AVAILABLE, stored().agents.get("ann").status);
    }

    @Test
    void aPingIsAnsweredWithAPongThatCarriesItsCid() {
        desk.send(carol, "{'type':'ping','cid':'p1'}");
        assertEquals(TestDesk.json("{'type':'pong','cid':'p1'}"), carol.last());
    }

    @Test
    void aFrameOverTheSendersRateIsRefusedRateLimitedAndNotHandled() {
        desk.available(ann);
        String id = desk.start(carol); // the first of two at once (switchboard.rate.chat.burst)
        desk.send(carol, "{'type':'typing','conversation':'" + id + "'}");
        desk.about(carol, "say", id, ",'text':'hi'");
        assertRefused(carol.answer("say"), "rate_limited");
        assertEquals(List.of(), desk.transcript(id), "not stored");
        desk.send(ann, "{'type':'status','status':'away','cid':'away'}");
        assertAck(ann.answer("away"), null); // each user has a rate of their own
    }

    @Test
    void anAgentsLastConnectionClosingTakesThemOffline() {
        TestDesk.Party other = here(desk.agent("ann", 1));
        closed(here(ann), false);
        assertTrue(stored().agents.get("ann").online, "another connection of hers is open");
        closed(other, false);
        assertFalse(stored().agents.get("ann").online);
        assertEquals(NOW, stored().agents.get("ann").goneSince);
    }

    @Test
    void aCustomersLastConnectionClosingMarksTheirWaitingConversationGoneButNotAMessageLeft() {
        desk.available(ann);
        String waiting = desk.start(here(carol));
        TestDesk.Party dave = here(desk.customer("dave"));
        desk.send(dave, "{'type':'leave_message','text':'call me','cid':'m1'}");
        String message = dave.answer("m1").getString("conversation");
        closed(carol, false);
        closed(dave, false);
        assertEquals(NOW, stored().conversations.get(waiting).customerGoneSince);
        assertEquals(0, stored().conversations.get(message).customerGoneSince, "a message waits for an answer by email");
    }

    @Test
    void aRetriedCleanUpWhoseFirstTryLeftPresenceUnansweredStillTakesTheAgentOffline() {
        here(ann);
        // The first try: presence ran the exit, but its answer was lost with the engine.
        desk.service.presence.exit(SupportService.AGENTS_HERE, "ann", ann.participant().connection.id());
        closed(ann, true);
        assertFalse(stored().agents.get("ann").online);
    }

    @Test
    void aRetriedCleanUpLeavesOnlineAnAgentWhoIsStillHere() {
        here(desk.agent("ann", 1));
        here(ann);
        desk.service.presence.exit(SupportService.AGENTS_HERE, "ann", ann.participant().connection.id());
        closed(ann, true);
        assertTrue(stored().agents.get("ann").online, "her other connection is present");
    }

    @Test
    void aConnectionOfAnotherFeatureIsNoneOfTheDesksBusiness() {
        TestTransports.Recorded chat = TestTransports.connect(desk.node.registry, new Channel("chat", true), "chat-ann", "ann");
        here(ann);
        desk.service.connectionClosed(new ConnectionClosed(chat.connection(), Set.of(), true));
        assertTrue(stored().agents.get("ann").online);
    }
}

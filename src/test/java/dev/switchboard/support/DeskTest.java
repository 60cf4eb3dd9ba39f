package dev.switchboard.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.support.Desk.Offer;
import dev.switchboard.support.Desk.Rating;
import dev.switchboard.support.Desk.State;
import dev.switchboard.support.Desk.Status;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The desk's rules: queue order, fair assignment within capacities, offers that lapse, rescue, transfer, close, figures. */
class DeskTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    private final Desk desk = new Desk();
    private long now = 1_800_000_000_000L;

    private Desk.Conversation customer(String id) {
        return customer(id, null);
    }

    private Desk.Conversation customer(String id, String department) {
        Desk.Conversation c = new Desk.Conversation();
        c.id = id;
        c.customer = "c-" + id;
        c.customerName = "Customer " + id;
        c.department = department;
        return c;
    }

    private List<Offer> enqueue(String id) {
        return desk.enqueue(customer(id), now, UTC);
    }

    private void agent(String name, int capacity) {
        desk.agentOnline(name, capacity, List.of(), now);
        desk.setStatus(name, Status.AVAILABLE, now);
    }

    /** A desk round that has just read who is here. */
    private void presenceRead(Set<String> agents, Set<String> customers, long at) {
        desk.reconcile(agents, customers, at, at);
    }

    private long later(long millis) {
        now += millis;
        return now;
    }

    @Test
    void customersWaitInArrivalOrderAndKnowTheirPosition() {
        for (String id : List.of("a", "b", "c")) {
            assertEquals(List.of(), enqueue(id), "nobody to take it");
            later(1000);
        }
        assertEquals(List.of("a", "b", "c"), desk.queue);
        assertEquals(Optional.of(1), desk.position("a"));
        assertEquals(Optional.of(3), desk.position("c"));
        agent("ann", 1);
        assertEquals(State.OFFERED, desk.conversations.get("a").state, "the head goes first");
        assertEquals(Optional.of(1), desk.position("b"), "everyone moves up");
        assertEquals(Optional.empty(), desk.position("a"), "no longer waiting");
    }

    @Test
    void aCustomerGoesToTheAgentWithFewestOpenConversationsTiesToTheOneIdleLongest() {
        agent("ann", 3);
        later(10);
        agent("bob", 3);
        assertEquals(List.of(new Offer("1", "ann")), enqueue("1"), "equal loads: ann has been idle longer");
        assertEquals(List.of(new Offer("2", "bob")), enqueue("2"), "bob has fewer now");
        later(10);
        assertEquals(List.of(new Offer("3", "ann")), enqueue("3"), "equal again: ann's last one was earlier");
        desk.close("1", later(10), UTC);
        desk.close("3", later(10), UTC);
        assertEquals(List.of(new Offer("4", "ann")), enqueue("4"), "ann has none open now, bob one");
    }

    @Test
    void noAgentGoesOverCapacityAndAwayOrOfflineAgentsGetNothing() {
        agent("ann", 2);
        desk.agentOnline("away", 5, List.of(), now); // online, never set available
        agent("gone", 5);
        desk.agentOffline("gone", now);
        for (String id : List.of("1", "2", "3")) {
            enqueue(id);
        }
        assertEquals(2, desk.load("ann"));
        assertEquals(0, desk.load("away"));
        assertEquals(0, desk.load("gone"));
        assertEquals(List.of("3"), desk.queue, "the third waits for a free seat");
        desk.close("1", later(1000), UTC);
        assertEquals(List.of(new Offer("3", "ann")), desk.assign(now), "a seat freed: the queue moves");
    }

    @Test
    void anUnansweredOfferGoesToTheNextAgentAndTheFirstStaysLastInLine() {
        agent("ann", 1);
        later(10);
        agent("bob", 1);
        enqueue("1");
        assertEquals("ann", desk.conversations.get("1").agent);
        assertEquals(List.of(), desk.lapseOffers(later(29_000), 30_000), "not yet");
        assertEquals(List.of(new Offer("1", "bob")), desk.lapseOffers(later(1_000), 30_000));
        assertEquals(List.of("ann"), desk.conversations.get("1").passedBy);
        assertTrue(desk.accept("bob", "1", later(500), UTC));
        assertFalse(desk.accept("ann", "1", now, UTC), "not hers any more");
        assertEquals(State.ACTIVE, desk.conversations.get("1").state);
        assertEquals(1, desk.today.answered);
        assertEquals(30_500, desk.today.waitMillisTotal, "waited from queueing to bob's answer");
    }

    @Test
    void aLapsedOfferWithNobodyElseGoesBackToTheSameAgentRatherThanWait() {
        agent("ann", 1);
        enqueue("1");
        assertEquals(List.of(new Offer("1", "ann")), desk.lapseOffers(later(30_000), 30_000));
    }

    @Test
    void anAgentGoneLongerThanTheGraceLosesTheirConversationsToTheHeadOfTheQueue() {
        agent("ann", 2);
        enqueue("1");
        desk.accept("ann", "1", later(100), UTC);
        enqueue("2"); // offered to ann too
        desk.agentOnline("bob", 1, List.of(), now); // away: takes nothing
        later(100);
        enqueue("3"); // waits: ann is full
        desk.agentOffline("ann", later(100));
        assertEquals(List.of(), desk.rescue(later(9_000), 10_000), "within the grace: still hers");
        desk.agentOnline("ann", 2, List.of(), later(500)); // back in time
        desk.agentOffline("ann", later(100));
        assertEquals(List.of(), desk.rescue(later(9_000), 10_000), "the grace starts again from the last loss");
        assertEquals(List.of("1", "2"), desk.rescue(later(1_000), 10_000));
        assertEquals(List.of("1", "2", "3"), desk.queue, "rescued ones first, in the order they first came");
        assertEquals(Status.AWAY, desk.agents.get("ann").status);
        desk.setStatus("bob", Status.AVAILABLE, now);
        assertEquals("bob", desk.conversations.get("1").agent);
        assertEquals(1, desk.today.answered, "conversation 1 was answered once; its wait counts once");
    }

    @Test
    void anAgentCanTakeAGivenWaitingCustomerAheadOfTheQueueWithinTheirCapacity() {
        enqueue("1");
        enqueue("2");
        desk.agentOnline("ann", 1, List.of(), now); // online, away: may still take one by hand
        assertTrue(desk.take("ann", "2", later(100), UTC));
        assertEquals(State.ACTIVE, desk.conversations.get("2").state);
        assertFalse(desk.take("ann", "1", now, UTC), "no free seat");
        assertFalse(desk.take("nobody", "1", now, UTC));
        assertEquals(List.of("1"), desk.queue);
    }

    @Test
    void aTransferGoesToAnotherAgentWithAFreeSeatOrBackToTheHeadOfTheQueue() {
        agent("ann", 1);
        enqueue("1");
        desk.accept("ann", "1", later(10), UTC);
        desk.agentOnline("bob", 1, List.of(), now);
        assertFalse(desk.transfer("bob", "1", "ann", now), "only its agent transfers it");
        assertFalse(desk.transfer("ann", "1", "nobody", now));
        assertTrue(desk.transfer("ann", "1", "bob", later(10)));
        assertEquals(State.OFFERED, desk.conversations.get("1").state);
        assertEquals("bob", desk.conversations.get("1").agent);
        assertTrue(desk.accept("bob", "1", later(10), UTC));
        enqueue("2"); // ann is free: she gets it
        assertEquals("ann", desk.conversations.get("2").agent);
        enqueue("3");
        assertTrue(desk.transfer("bob", "1", null, later(10)));
        assertEquals(List.of("1", "3"), desk.queue, "back at the head");
    }

    @Test
    void closingCountsHandleTimeOrAbandonmentAndACustomerRatesOnce() {
        agent("ann", 1);
        enqueue("1");
        desk.accept("ann", "1", later(1000), UTC);
        enqueue("2");
        Desk.Closed closed = desk.close("1", later(60_000), UTC).orElseThrow();
        assertEquals("ann", closed.agent);
        assertEquals(List.of(60_000L), desk.handleMillis);
        desk.close("2", later(1000), UTC); // offered to ann, never answered: abandoned
        assertEquals(1, desk.today.abandoned);
        assertEquals(1, desk.today.handled);
        assertEquals(Rating.NOT_THEIRS, desk.rate("c-2", "1", 5, now, UTC), "not their conversation");
        assertEquals(Rating.REFUSED, desk.rate("c-1", "1", 6, now, UTC), "1 to 5");
        assertEquals(Rating.RATED, desk.rate("c-1", "1", 4, now, UTC));
        assertEquals(Rating.REFUSED, desk.rate("c-1", "1", 5, now, UTC), "once");
        assertEquals(1, desk.today.ratings);
        assertEquals(4, desk.today.ratingTotal);
        assertEquals(Optional.empty(), desk.close("1", now, UTC), "closed already");
    }

    @Test
    void aCustomerRatingAConversationNotTheirsIsToldSoWhetherItIsOpenOrClosed() {
        agent("ann", 2);
        enqueue("1");
        enqueue("2");
        desk.close("1", later(1000), UTC);
        assertEquals(Rating.NOT_THEIRS, desk.rate("c-2", "1", 5, now, UTC), "another's, closed");
        assertEquals(Rating.NOT_THEIRS, desk.rate("c-1", "2", 5, now, UTC), "another's, open");
        assertEquals(Rating.NOT_THEIRS, desk.rate("c-1", "nothing-like-it", 5, now, UTC), "no such conversation");
        assertEquals(Rating.NOT_THEIRS, desk.rate("c-2", "1", 9, now, UTC), "whose it is comes before the score");
        assertEquals(Rating.REFUSED, desk.rate("c-2", "2", 5, now, UTC), "theirs, but still open");
        assertEquals(0, desk.today.ratings);
        assertEquals(Rating.RATED, desk.rate("c-1", "1", 5, now, UTC));
    }

    @Test
    void aPresenceListReadBeforeAConnectionOpenedOrClosedDoesNotUndoWhatThatConnectionTold() {
        long listsRead = now; // a round reads who is here: nobody yet; it changes the desk a little later
        later(5);
        agent("ann", 2); // ...and ann connects in between, becomes available and gets a customer who just started
        assertEquals(List.of(new Offer("1", "ann")), desk.enqueue(customer("1"), later(5), UTC));
        desk.reconcile(Set.of(), Set.of(), listsRead, later(5));
        assertTrue(desk.agents.get("ann").online, "the lists were read before she connected");
        assertEquals(0, desk.conversations.get("1").customerGoneSince, "nor had customer 1 started then");
        assertEquals(List.of(new Offer("2", "ann")), desk.enqueue(customer("2"), later(5), UTC), "online and available: the next is hers too");

        listsRead = later(5); // both are in the next round's lists, and both leave before it changes the desk
        desk.agentOffline("ann", later(5));
        desk.customerLeft("c-1", now);
        desk.reconcile(Set.of("ann"), Set.of("c-1"), listsRead, later(5));
        assertFalse(desk.agents.get("ann").online, "gone since the lists were read");
        assertTrue(desk.conversations.get("1").customerGoneSince > 0);

        presenceRead(Set.of("ann"), Set.of(), later(5)); // lists read after the news are heeded: her node has her again
        assertTrue(desk.agents.get("ann").online);
    }

    @Test
    void aCustomerAnsweredThenRescuedToTheQueueAndGoneIsAbandonedLikeOneNeverAnswered() {
        agent("ann", 2);
        enqueue("1");
        enqueue("2");
        desk.accept("ann", "1", later(1000), UTC);
        desk.accept("ann", "2", now, UTC);
        desk.agentOffline("ann", later(1000));
        assertEquals(List.of("1", "2"), desk.rescue(later(10_000), 10_000), "back to the queue: nobody to take them");
        assertEquals(2, desk.today.answered, "each was answered once");
        presenceRead(Set.of(), Set.of("c-2"), later(10)); // customer 1 closed the tab
        assertEquals(List.of("1"), desk.abandon(later(60_000), 60_000, UTC).stream().map(c -> c.id).toList());
        desk.close("2", later(10), UTC); // customer 2 ends it herself, waiting again
        assertEquals(2, desk.today.abandoned, "both left while waiting, unanswered at that moment");
        assertEquals(0, desk.today.handled, "no handle time: nobody was handling them when they went");
        assertEquals(List.of(), desk.handleMillis, "the wait after the rescue is not a handle time for the estimate");
    }

    @Test
    void aConversationClosedWhileAnAgentHandlesItIsHandledAndOneClosedWhileOfferedAgainIsAbandoned() {
        agent("ann", 1);
        desk.agentOnline("bob", 1, List.of(), now); // away: a transfer may still go to him
        enqueue("1");
        desk.accept("ann", "1", later(1000), UTC);
        desk.close("1", later(30_000), UTC);
        assertEquals(1, desk.today.handled);
        assertEquals(0, desk.today.abandoned);
        enqueue("2");
        desk.accept("ann", "2", later(1000), UTC);
        assertTrue(desk.transfer("ann", "2", "bob", later(1000)));
        desk.close("2", later(5_000), UTC); // the customer left before bob answered
        assertEquals(1, desk.today.abandoned);
        assertEquals(1, desk.today.handled);
    }

    @Test
    void aNewDayStartsTheFiguresAgain() {
        enqueue("1");
        assertEquals(1, desk.today.waited);
        now += 24 * 3600 * 1000L;
        enqueue("2");
        assertEquals(1, desk.today.waited);
    }

    @Test
    void departmentsQueueApartAndAgentsServeTheirsOrAll() {
        desk.agentOnline("billing-only", 1, List.of("billing"), now);
        desk.setStatus("billing-only", Status.AVAILABLE, now);
        desk.enqueue(customer("t1", "tech"), now, UTC);
        desk.enqueue(customer("b1", "billing"), later(10), UTC);
        assertEquals(List.of("t1"), desk.queue, "tech waits; billing went ahead of it to its own agent");
        assertEquals(Optional.of(1), desk.position("t1"));
        desk.enqueue(customer("t2", "tech"), later(10), UTC);
        desk.enqueue(customer("b2", "billing"), later(10), UTC);
        assertEquals(Optional.of(2), desk.position("t2"));
        assertEquals(Optional.of(1), desk.position("b2"), "positions count within a department");
        assertEquals(1, desk.seats("billing"));
        assertEquals(0, desk.seats("tech"));
        agent("anyone", 2);
        assertEquals("anyone", desk.conversations.get("t1").agent);
        assertEquals("anyone", desk.conversations.get("t2").agent);
    }

    @Test
    void messagesLeftWhileNobodyWasThereAreNotQueuedAndAnAgentTakesThem() {
        desk.leaveMessage(customer("m1"), now);
        assertFalse(desk.anyAgentOnline());
        assertEquals(List.of(), desk.queue);
        agent("ann", 1);
        assertEquals(State.MESSAGE, desk.conversations.get("m1").state, "not offered: an agent takes it");
        assertTrue(desk.take("ann", "m1", later(10), UTC));
        desk.close("m1", later(10), UTC);
        assertEquals(0, desk.today.abandoned);
    }

    @Test
    void presenceDecidesWhoIsThereAndWaitingCustomersGoneForTheGraceAreAbandoned() {
        agent("ann", 1);
        enqueue("1"); // offered to ann
        enqueue("2"); // queued
        presenceRead(Set.of("ann"), Set.of("c-1", "c-2"), later(10));
        assertTrue(desk.agents.get("ann").online);
        presenceRead(Set.of(), Set.of("c-1"), later(10)); // ann's node died; customer 2 closed the tab
        assertFalse(desk.agents.get("ann").online);
        assertEquals(now, desk.conversations.get("2").customerGoneSince);
        assertEquals(List.of(), desk.abandon(later(59_000), 60_000, UTC), "within the grace");
        presenceRead(Set.of("ann"), Set.of("c-1"), later(500));
        assertTrue(desk.agents.get("ann").online, "back: her connection is there again");
        List<Desk.Closed> abandoned = desk.abandon(later(1_000), 60_000, UTC);
        assertEquals(List.of("2"), abandoned.stream().map(c -> c.id).toList());
        assertEquals(1, desk.today.abandoned);
        assertEquals(List.of(), desk.queue);
    }

    @Test
    void theDeskSurvivesItsTripThroughJsonUnchanged() throws Exception {
        agent("ann", 2);
        enqueue("1");
        enqueue("2");
        desk.accept("ann", "1", later(10), UTC);
        desk.enqueue(customer("3", "billing"), now, UTC);
        desk.close("2", later(10), UTC);
        try (Jsonb jsonb = JsonbBuilder.create()) {
            String text = jsonb.toJson(desk);
            Desk back = jsonb.fromJson(text, Desk.class);
            assertEquals(text, jsonb.toJson(back));
            assertEquals(State.ACTIVE, back.conversations.get("1").state);
            assertEquals(Optional.of(1), back.position("3"));
        }
    }
}

package dev.switchboard.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.session.ConnectionClosed;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What each desk connection is shown as the desk changes: a customer their place, wait and agent; an
 * agent the queue, their conversations and the team (a supervisor everything and the day's figures);
 * only what changed, and never an older desk than the one shown.
 */
class DeskViewsTest {

    private final TestDesk desk = new TestDesk("switchboard.support.handle-time", "4m");
    private final DeskViews views = desk.views;
    private final long now = TestDesk.NOW.toEpochMilli();

    @AfterEach
    void close() {
        desk.close();
    }

    /** Changes the desk in the store and shows the result, as a frame handler does. */
    private void change(Consumer<Desk> change) {
        views.show(desk.store.change(d -> {
            change.accept(d);
            return null;
        }).after());
    }

    private static Desk.Conversation conversation(String id, String customer) {
        Desk.Conversation c = new Desk.Conversation();
        c.id = id;
        c.customer = customer;
        c.customerName = "Customer " + customer;
        return c;
    }

    private void available(Desk d, String agent, int capacity) {
        d.agentOnline(agent, capacity, List.of(), now);
        d.setStatus(agent, Desk.Status.AVAILABLE, now);
    }

    private void enqueue(Desk d, String id, String customer) {
        d.enqueue(conversation(id, customer), now, ZoneOffset.UTC);
    }

    /** Ann is available with one seat, and carol's conversation c1 is offered to her. */
    private void carolComesToAnn(Desk d) {
        available(d, "ann", 1);
        enqueue(d, "c1", "carol");
    }

    @Test
    void aWaitingCustomerIsToldTheirPlaceAndARangeOfWaitAndAnOfferedOneTheirAgent() {
        TestDesk.Party carol = desk.customer("carol");
        TestDesk.Party dave = desk.customer("dave");
        change(d -> {
            available(d, "ann", 1);
            enqueue(d, "c0", "zoe"); // ann's only seat
            enqueue(d, "c1", "carol");
            enqueue(d, "c2", "dave");
        });
        assertEquals(List.of("{\"type\":\"status\",\"agentsOnline\":1,\"conversation\":\"c1\",\"position\":1,\"state\":\"queued\","
                + "\"waitHigh\":360,\"waitLow\":0}"), carol.texts(),
                "first in line, one seat: until that seat frees, half to one and a half of the 4 minutes usual");
        assertEquals("{\"type\":\"status\",\"agentsOnline\":1,\"conversation\":\"c2\",\"position\":2,\"state\":\"queued\","
                + "\"waitHigh\":720,\"waitLow\":120}", dave.recorded().last());
        change(d -> {
            d.close("c0", now, ZoneOffset.UTC);
            d.assign(now); // as the desk clock does on its next tick
        });
        assertEquals("{\"type\":\"status\",\"agent\":\"ann\",\"agentsOnline\":1,\"conversation\":\"c1\",\"state\":\"offered\"}",
                carol.recorded().last(), "the freed seat went to carol: no place, no wait, her agent");
        assertEquals("{\"type\":\"status\",\"agentsOnline\":1,\"conversation\":\"c2\",\"position\":1,\"state\":\"queued\","
                + "\"waitHigh\":360,\"waitLow\":0}", dave.recorded().last(), "dave moved up");
    }

    @Test
    void aCustomerWithNoOpenConversationIsShownNothing() {
        TestDesk.Party carol = desk.customer("carol");
        change(d -> available(d, "ann", 1));
        assertEquals(List.of(), carol.texts());
    }

    @Test
    void aViewIsSentOnlyWhenItChangedAndNeverForAnOlderDesk() {
        TestDesk.Party carol = desk.customer("carol");
        DeskStore.Versioned before = desk.store.read();
        change(d -> enqueue(d, "c1", "carol"));
        views.show(desk.store.read()); // the same desk again
        views.show(before); // a desk older than the one shown, late from another node
        assertEquals(1, carol.texts().size(), carol.texts().toString());
        assertEquals(desk.store.read().version(), views.latest().version());
    }

    @Test
    void anAgentSeesTheQueueTheirConversationsAndTheTeamButNotTheDaysFigures() {
        TestDesk.Party ann = desk.agent("ann", 1);
        change(d -> {
            carolComesToAnn(d);
            enqueue(d, "c2", "dave");
        });
        String view = ann.texts().get(0);
        assertEquals("{\"type\":\"desk\",\"agents\":[{\"capacity\":1,\"load\":1,\"name\":\"ann\",\"online\":true,\"status\":\"available\"}],"
                + "\"capacity\":1,\"load\":1,\"messages\":[],"
                + "\"mine\":[{\"agent\":\"ann\",\"answeredAt\":0,\"conversation\":\"c1\",\"customerHere\":true,"
                + "\"customerName\":\"Customer carol\",\"offeredAt\":" + now + ",\"queuedAt\":" + now + ",\"state\":\"offered\"}],"
                + "\"queue\":[{\"answeredAt\":0,\"conversation\":\"c2\",\"customerHere\":true,\"customerName\":\"Customer dave\","
                + "\"offeredAt\":0,\"position\":1,\"queuedAt\":" + now + ",\"state\":\"queued\"}],"
                + "\"status\":\"available\"}", view);
    }

    @Test
    void aSupervisorAlsoSeesEveryOpenConversationAndTheDaysFigures() {
        TestDesk.Party sue = desk.supervisor("sue");
        change(d -> {
            carolComesToAnn(d);
            d.accept("ann", "c1", now + 30_000, ZoneOffset.UTC);
            d.rate("carol", "c1", 4, now, ZoneOffset.UTC); // not closed: not rated
        });
        String view = sue.recorded().last();
        assertTrue(view.contains("\"all\":[{\"agent\":\"ann\",\"answeredAt\":" + (now + 30_000) + ",\"conversation\":\"c1\""), view);
        assertTrue(view.contains("\"today\":{\"abandoned\":0,\"answered\":1,\"averageWaitSeconds\":30,\"day\":\"2026-11-24\","
                + "\"ratings\":0,\"waited\":1}"), view);
        assertTrue(view.contains("\"mine\":[]"), "a supervisor's own seats are empty: " + view);
    }

    @Test
    void anAgentFollowsTheTranscriptsOfWhatIsTheirsAndIsToldWhenOneIsReleased() {
        TestDesk.Party ann = desk.agent("ann", 1);
        change(this::carolComesToAnn);
        assertTrue(Transcripts.follows(ann.participant().connection, "c1"), "offered to her: she reads along");
        assertTrue(ann.texts().stream().anyMatch(t -> t.contains("\"type\":\"transcript\"")), ann.texts().toString());
        change(d -> d.close("c1", now, ZoneOffset.UTC));
        assertFalse(Transcripts.follows(ann.participant().connection, "c1"));
        assertEquals("{\"type\":\"released\",\"conversation\":\"c1\"}", ann.recorded().last());
    }

    @Test
    void aChangeMadeOnAnotherNodeIsShownWhenTheViewsReadTheDeskAgain() {
        TestDesk.Party carol = desk.customer("carol");
        desk.store.change(d -> {
            enqueue(d, "c1", "carol");
            return null;
        });
        assertEquals(List.of(), carol.texts(), "not shown by whoever changed it");
        views.refresh();
        assertEquals(1, carol.texts().size());
    }

    @Test
    void aConnectionThatClosedIsShownNothingMore() {
        TestDesk.Party carol = desk.customer("carol");
        views.connectionClosed(new ConnectionClosed(carol.participant().connection, Set.of()));
        change(d -> enqueue(d, "c1", "carol"));
        assertEquals(List.of(), carol.texts());
        assertEquals(null, views.participant(carol.participant().connection));
    }
}

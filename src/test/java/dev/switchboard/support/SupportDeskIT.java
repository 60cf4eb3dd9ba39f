package dev.switchboard.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.DeskClient;
import dev.switchboard.testing.InServerTest;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The support desk with real clients: customers queue and see their place and wait move live, agents
 * get conversations fairly within their capacities, offers nobody answers move on, an absent agent's
 * conversations go back to the queue, both sides talk and recover after a reconnect. Agents are ann
 * (capacity 2), bob and cat (1 each); offers lapse after 2 s, an agent's grace is 2 s, a waiting
 * customer's 3 s (test settings). Each test starts from an empty desk: a supervisor watches it drain.
 */
class SupportDeskIT extends InServerTest {

    /**
     * Client ids are the sender's, for all their messages: an agent who sends "r1" in two tests is retrying
     * the first message the second time. Each test's agent messages carry ids of their own.
     */
    private final List<DeskClient> opened = new ArrayList<>();

    private DeskClient customer(String name) throws Exception {
        DeskClient c = DeskClient.customer(server, name, null);
        opened.add(c);
        c.next("welcome");
        return c;
    }

    private DeskClient agent(String name) throws Exception {
        DeskClient a = DeskClient.staff(server, name, "agent");
        opened.add(a);
        assertEquals("agent", a.next("welcome").getString("role"));
        a.next("desk");
        return a;
    }

    private static void available(DeskClient agent, String cid) throws Exception {
        agent.send(Map.of("type", "status", "status", "available", "cid", cid));
        agent.next("ack", f -> cid.equals(f.getString("cid", "")));
    }

    /** Starts a conversation; returns its id. */
    private static String start(DeskClient customer) throws Exception {
        customer.send(Map.of("type", "start", "cid", "start-" + customer.user));
        return customer.next("ack", f -> ("start-" + customer.user).equals(f.getString("cid", ""))).getString("conversation");
    }

    /** The customer's next status in this state with this agent. */
    private static JsonObject statusWithAgent(DeskClient customer, String state, String agent) throws InterruptedException {
        return customer.next("status", f -> state.equals(f.getString("state")) && agent.equals(f.getString("agent", "")));
    }

    private static JsonObject statusWith(DeskClient customer, String state, int position) throws InterruptedException {
        return customer.next("status", f -> state.equals(f.getString("state"))
                && (position == 0 || f.containsKey("position") && f.getInt("position") == position));
    }

    /** The agent's desk once it lists these conversations (in this order) as theirs. */
    private static JsonObject deskWithMine(DeskClient agent, List<String> conversations) throws InterruptedException {
        return agent.next("desk", f -> ids(f.getJsonArray("mine")).equals(conversations));
    }

    private static List<String> ids(JsonArray lines) {
        List<String> ids = new ArrayList<>();
        for (JsonValue line : lines) {
            ids.add(line.asJsonObject().getString("conversation"));
        }
        return ids;
    }

    @BeforeEach
    void theDeskIsEmpty() throws Exception {
        // What earlier tests left (their customers and agents are gone) is abandoned or rescued within seconds.
        try (DeskClient sue = DeskClient.staff(server, "sue", "supervisor")) {
            sue.next("welcome");
            sue.next("desk", f -> f.getJsonArray("all").isEmpty());
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (DeskClient c : opened) {
            c.close();
        }
    }

    @Test
    void customersQueueInOrderAndSeeTheirPlaceAndWaitMoveLive() throws Exception {
        DeskClient first = customer("Ada");
        first.send(Map.of("type", "start", "cid", "s0"));
        assertEquals("s0", first.next("no_agents").getString("cid"), "nobody online: the customer may leave a message");

        DeskClient ann = agent("ann"); // online, away: customers may queue, with no estimate yet
        String one = start(first);
        DeskClient second = customer("Bea");
        DeskClient third = customer("Cyd");
        String two = start(second);
        String three = start(third);
        assertEquals(3, statusWith(third, "queued", 3).getInt("position"));
        assertFalse(statusWith(second, "queued", 2).containsKey("waitHigh"), "no agent available: no estimate");

        available(ann, "a1"); // capacity 2: the first two go to her
        assertEquals("ann", statusWith(first, "offered", 0).getString("agent"));
        assertEquals("ann", statusWith(second, "offered", 0).getString("agent"));
        JsonObject moved = statusWith(third, "queued", 1);
        // First in line: from now up to the recent handle times over ann's 2 seats (WaitEstimateTest has the sums;
        // earlier tests' conversations, handled in milliseconds, may make it 0).
        assertEquals(0, moved.getInt("waitLow"));
        assertTrue(moved.containsKey("waitHigh") && moved.getInt("waitHigh") >= 0, "an estimate, now that a seat is there: " + moved);
        deskWithMine(ann, List.of(one, two).stream().sorted().toList());

        ann.send(Map.of("type", "close", "conversation", one, "cid", "c1"));
        ann.next("ack", f -> "c1".equals(f.getString("cid", "")));
        assertEquals("ann", statusWith(third, "offered", 0).getString("agent"), "a seat freed: the queue moved");
        for (String id : List.of(two, three)) {
            ann.send(Map.of("type", "close", "conversation", id, "cid", "close-" + id));
            ann.next("ack", f -> ("close-" + id).equals(f.getString("cid", "")));
        }
    }

    @Test
    void theAvailableAgentWithFewestConversationsGetsTheNextAndNobodyGoesOverCapacity() throws Exception {
        DeskClient ann = agent("ann");
        available(ann, "a");
        DeskClient bob = agent("bob");
        available(bob, "b");
        List<DeskClient> customers = new ArrayList<>();
        List<String> conversations = new ArrayList<>();
        List<JsonObject> statuses = new ArrayList<>();
        for (String name : List.of("C1", "C2", "C3", "C4")) {
            DeskClient c = customer(name);
            customers.add(c);
            conversations.add(start(c));
            statuses.add(statusWith(c, conversations.size() <= 3 ? "offered" : "queued", 0));
        }
        // C1 to either (both have none: the one idle longer, which earlier tests decide; DeskTest pins that rule),
        // C2 to the other (fewer open), C3 to ann (bob's 1 seat is taken, ann has 2), C4 waits.
        String toFirst = statuses.get(0).getString("agent");
        String toSecond = statuses.get(1).getString("agent");
        assertEquals(java.util.Set.of("ann", "bob"), java.util.Set.of(toFirst, toSecond));
        assertEquals("ann", statuses.get(2).getString("agent"));
        assertEquals(1, statuses.get(3).getInt("position"));
        List<String> annHas = new ArrayList<>(List.of(conversations.get(2), conversations.get(toFirst.equals("ann") ? 0 : 1)));
        JsonObject annDesk = deskWithMine(ann, annHas.stream().sorted().toList());
        assertEquals(2, annDesk.getInt("load"));
        assertEquals(2, annDesk.getInt("capacity"));
        for (int i = 0; i < 3; i++) {
            (annHas.contains(conversations.get(i)) ? ann : bob)
                    .acked(Map.of("type", "close", "conversation", conversations.get(i), "cid", "x" + i));
        }
        customers.get(3).acked(Map.of("type", "close", "conversation", conversations.get(3), "cid", "bye"));
    }

    @Test
    void twoAgentsTakingOneWaitingCustomerAtOnceOneGetsItAndTheOtherIsToldSo() throws Exception {
        DeskClient bob = agent("bob"); // away: nothing is offered to them, they take by hand
        DeskClient cat = agent("cat");
        DeskClient customer = customer("Dee");
        String id = start(customer);
        statusWith(customer, "queued", 1);
        List<JsonObject> answers = DeskClient.atOnce(List.of(bob, cat), Map.of("type", "take", "conversation", id, "cid", "take"));
        long won = answers.stream().filter(a -> a.getString("type").equals("ack")).count();
        assertEquals(1, won, "one wins: " + answers);
        JsonObject lost = answers.stream().filter(a -> a.getString("type").equals("error")).findFirst().orElseThrow();
        assertEquals("conflict", lost.getString("code"), lost.toString());
        String winner = answers.get(0).getString("type").equals("ack") ? "bob" : "cat";
        assertEquals(winner, statusWith(customer, "active", 0).getString("agent"));
        DeskClient theWinner = winner.equals("bob") ? bob : cat;
        theWinner.acked(Map.of("type", "close", "conversation", id, "cid", "done"));
    }

    @Test
    void anOfferNobodyAnswersMovesToTheNextAgentAndTheFirstIsReleased() throws Exception {
        DeskClient bob = agent("bob");
        available(bob, "b");
        DeskClient cat = agent("cat");
        available(cat, "c");
        DeskClient customer = customer("Eve");
        String id = start(customer);
        String first = statusWith(customer, "offered", 0).getString("agent");
        DeskClient firstAgent = first.equals("bob") ? bob : cat;
        DeskClient second = first.equals("bob") ? cat : bob;
        assertEquals(id, firstAgent.next("released").getString("conversation"), "after the 2 s offer timeout");
        assertEquals(second.user, statusWith(customer, "offered", 0).getString("agent"));
        second.acked(Map.of("type", "accept", "conversation", id, "cid", "yes"));
        assertEquals(second.user, statusWith(customer, "active", 0).getString("agent"));
        second.acked(Map.of("type", "close", "conversation", id, "cid", "done"));
    }

    @Test
    void anAgentWhoLeavesLosesTheirConversationsToTheHeadOfTheQueueAfterTheGrace() throws Exception {
        DeskClient sue = DeskClient.staff(server, "sue", "supervisor");
        opened.add(sue);
        sue.next("welcome");
        int abandonedBefore = sue.next("desk").getJsonObject("today").getInt("abandoned");
        DeskClient ann = agent("ann");
        available(ann, "a");
        DeskClient customer = customer("Fay");
        String id = start(customer);
        ann.acked(Map.of("type", "accept", "conversation", id, "cid", "yes"));
        statusWith(customer, "active", 0);
        DeskClient later = customer("Gus");
        String waiting = start(later);
        ann.acked(Map.of("type", "status", "status", "away", "cid", "away")); // so Gus waits
        ann.close();
        long gone = System.nanoTime();
        JsonObject back = statusWith(customer, "queued", 1);
        assertTrue(System.nanoTime() - gone >= TimeUnit.MILLISECONDS.toNanos(1500), "not before the 2 s grace");
        assertEquals(2, statusWith(later, "queued", 2).getInt("position"), "the rescued one is ahead: " + back);
        // Both leave while waiting: Gus ends it, Fay (answered before the rescue) goes and the grace passes.
        later.acked(Map.of("type", "close", "conversation", waiting, "cid", "bye"));
        customer.close();
        // A customer unanswered when they left has abandoned, answered earlier or not (the wait fails otherwise).
        JsonObject board = sue.next("desk", f -> f.getJsonObject("today").getInt("abandoned") == abandonedBefore + 2);
        assertTrue(board.getJsonArray("all").isEmpty(), "both closed: " + board);
    }

    @Test
    void bothSidesTalkAcknowledgedWithOffsetsAndACustomerResumesWithExactlyWhatTheyMissed() throws Exception {
        DeskClient ann = agent("ann");
        available(ann, "a");
        DeskClient customer = customer("Hal");
        String id = start(customer);
        JsonObject transcript = customer.next("transcript");
        String epoch = transcript.getString("epoch");
        JsonObject said = customer.acked(Map.of("type", "say", "conversation", id, "text", "my order is late", "cid", "m1"));
        assertEquals(1, said.getInt("offset"));
        JsonObject heard = ann.next("message", f -> "my order is late".equals(f.getString("text", "")));
        assertEquals("customer", heard.getString("role"));
        assertEquals("Hal", heard.getString("name"));
        JsonObject reply = ann.acked(Map.of("type", "say", "conversation", id, "text", "sorry, checking", "cid", "r1"));
        assertEquals(2, reply.getInt("offset"));
        assertEquals("active", statusWith(customer, "active", 0).getString("state"), "her first word answered the offer");
        assertEquals("sorry, checking", customer.next("message", f -> f.getInt("offset") == 2).getString("text"));
        // A retry of the same client id is acknowledged again, not said twice.
        assertEquals(1, customer.acked(Map.of("type", "say", "conversation", id, "text", "my order is late", "cid", "m1"))
                .getInt("offset"));

        customer.close();
        ann.acked(Map.of("type", "say", "conversation", id, "text", "found it", "cid", "r2"));
        ann.acked(Map.of("type", "say", "conversation", id, "text", "it ships today", "cid", "r3"));
        DeskClient back = customer.again(server, "conversation=" + id + "&since=2&epoch=" + epoch);
        opened.add(back);
        back.next("welcome");
        JsonObject resumed = back.next("transcript");
        assertTrue(resumed.getBoolean("recovered"), resumed.toString());
        assertEquals(4, resumed.getInt("lastOffset"));
        assertEquals("found it", back.next("message").getString("text"));
        JsonObject last = back.next("message");
        assertEquals("it ships today", last.getString("text"));
        assertEquals(4, last.getInt("offset"));
        back.acked(Map.of("type", "say", "conversation", id, "text", "thanks", "cid", "m2"));
        assertEquals(5, back.next("message").getInt("offset"), "nothing else came between: the marker is next");
        back.acked(Map.of("type", "close", "conversation", id, "cid", "bye"));
    }

    @Test
    void aTransferredConversationReachesTheNextAgentWithItsWholeTranscript() throws Exception {
        DeskClient ann = agent("ann");
        available(ann, "a");
        DeskClient bob = agent("bob"); // online, away: a transfer can still be offered to him
        DeskClient customer = customer("Ivy");
        String id = start(customer);
        customer.acked(Map.of("type", "say", "conversation", id, "text", "my invoice is wrong", "cid", "m1"));
        ann.acked(Map.of("type", "say", "conversation", id, "text", "billing will help", "cid", "transfer-r1"));
        ann.acked(Map.of("type", "transfer", "conversation", id, "to", "bob", "cid", "t1"));
        assertEquals(id, ann.next("released").getString("conversation"));
        statusWithAgent(customer, "offered", "bob");
        JsonObject read = bob.next("transcript");
        assertEquals(id, read.getString("conversation"));
        assertEquals("my invoice is wrong", bob.next("message").getString("text"), "from the start");
        assertEquals("billing will help", bob.next("message").getString("text"));
        JsonObject transferred = bob.next("event");
        assertEquals("transferred", transferred.getString("event"));
        assertEquals("ann", transferred.getString("by"));
        bob.acked(Map.of("type", "say", "conversation", id, "text", "fixed", "cid", "transfer-b1"));
        statusWithAgent(customer, "active", "bob");
        bob.send(Map.of("type", "transfer", "conversation", id, "to", "nobody", "cid", "t2"));
        assertEquals("conflict", bob.answerTo("t2").getString("code"), "not an agent online");
        bob.acked(Map.of("type", "transfer", "conversation", id, "cid", "t3")); // back to the queue: ann takes it at once
        statusWithAgent(customer, "offered", "ann");
        ann.acked(Map.of("type", "close", "conversation", id, "cid", "done"));
    }

    @Test
    void aMessageLeftWhileNobodyIsThereIsWhatAgentsSeeFirstAndOneTakesIt() throws Exception {
        DeskClient customer = customer("Jo");
        customer.send(Map.of("type", "start", "cid", "s"));
        customer.next("no_agents");
        JsonObject left = customer.acked(Map.of("type", "leave_message", "text", "call me back",
                "email", "jo@example.com", "cid", "leave"));
        String id = left.getString("conversation");
        assertEquals("message", statusWith(customer, "message", 0).getString("state"));
        customer.close();
        DeskClient ann = agent("ann");
        JsonObject desk = ann.next("desk", f -> ids(f.getJsonArray("messages")).contains(id));
        assertEquals("jo@example.com", desk.getJsonArray("messages").getJsonObject(0).getString("email"));
        ann.acked(Map.of("type", "take", "conversation", id, "cid", "take"));
        assertEquals("call me back", ann.next("message").getString("text"));
        ann.acked(Map.of("type", "close", "conversation", id, "cid", "done"));
    }
}

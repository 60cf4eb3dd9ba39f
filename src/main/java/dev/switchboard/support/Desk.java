package dev.switchboard.support;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The support desk as one document that every node reads and writes whole (compare and set): who
 * waits in which order, which agents are there with what load, every open conversation, and the
 * day's figures. The rules are here and nowhere else, as plain methods over this state and a time
 * given to them, so every node that applies one change to one version gets the same desk, and the
 * rules are tested without a server.
 *
 * <p>Fields are public for JSON-B; nothing outside this package changes them.
 */
public class Desk {

    /** Handle times kept for the estimate: the most recent ones. */
    static final int HANDLE_SAMPLES = 50;
    /** Closed conversations remembered for a rating and for the board. */
    static final int CLOSED_KEPT = 200;

    /** Where a conversation is. */
    public enum State {
        /** In the queue, waiting for an agent. */
        QUEUED,
        /** Offered to an agent, who has not answered yet; back to the queue's head if they do not. */
        OFFERED,
        /** An agent handles it. */
        ACTIVE,
        /** Left as a message while no agent was online: agents see these first. */
        MESSAGE
    }

    /** An agent's status as they set it. */
    public enum Status { AVAILABLE, AWAY }

    /** Conversation ids waiting, head first (queued ones only; a department is a filter over it). */
    public List<String> queue = new ArrayList<>();
    public TreeMap<String, Agent> agents = new TreeMap<>();
    /** Open conversations (queued, offered, active, messages) by id. */
    public TreeMap<String, Conversation> conversations = new TreeMap<>();
    /** Recent handle times in milliseconds, oldest first. */
    public List<Long> handleMillis = new ArrayList<>();
    /** Conversations closed lately, oldest first: who may rate them. */
    public List<Closed> closed = new ArrayList<>();
    public Figures today = new Figures();

    /** One agent: as they set themselves, whether some connection of theirs is open, and since when idle. */
    public static class Agent {
        public Status status = Status.AWAY;
        public int capacity = 1;
        public boolean online;
        /** When their last connection closed (0 while online): their conversations are rescued after a grace. */
        public long goneSince;
        /**
         * When a connection of theirs opening, or their last one closing, last told the desk: a presence list
         * read before then is older news about them and is not heeded ({@link Desk#reconcile}).
         */
        public long presenceToldAt;
        /** When they last got a conversation or became available: ties go to the one idle longest. */
        public long idleSince;
        /** Departments they serve; empty: all. */
        public List<String> departments = new ArrayList<>();

        boolean serves(String department) {
            return department == null || departments.isEmpty() || departments.contains(department);
        }
    }

    /** One open conversation. */
    public static class Conversation {
        public String id;
        public String customer;
        public String customerName;
        public String email;
        public String department;
        public State state;
        /** The agent it is offered to or handled by; null while queued. */
        public String agent;
        public long queuedAt;
        public long offeredAt;
        /** When an agent first answered (0 until then): the end of the customer's wait. */
        public long answeredAt;
        /** Agents whose offer lapsed or who passed it on: others are offered it first. */
        public List<String> passedBy = new ArrayList<>();
        /** Back in the queue after an agent had it: it waits at the head. */
        public boolean returned;
        /** When the customer's last connection went (0 while they are there): waiting ones are abandoned after a grace. */
        public long customerGoneSince;
        /** As {@link Agent#presenceToldAt}, for the customer: when they started, came back or left. */
        public long presenceToldAt;
        /** The site's back end was told the customer has waited long ({@code support.queue_waiting}): once. */
        public boolean waitingTold;
    }

    /** A closed conversation, while it may still be rated. */
    public static class Closed {
        public String id;
        public String customer;
        public String customerName;
        public String email;
        public String department;
        public String agent;
        public long queuedAt;
        public long answeredAt;
        public long closedAt;
        public boolean rated;
    }

    /** The day's figures; a new day starts them again. */
    public static class Figures {
        public String day;
        /** Conversations that entered the queue. */
        public int waited;
        /** Conversations an agent answered, each once (its first answer). */
        public int answered;
        /** Conversations closed while waiting for an agent (queued or offered), whether or not one had answered before. */
        public int abandoned;
        public long waitMillisTotal;
        public int handled;
        public long handleMillisTotal;
        public int ratings;
        public int ratingTotal;
    }

    /** What a change did, for the caller to tell the people concerned; empty when nothing happened. */
    public record Offer(String conversation, String agent) {
    }

    // ---- reading ----

    /** The agents a conversation of this department could go to now, the rule's choice first. */
    private List<String> eligible(String department, Conversation passing) {
        Comparator<Map.Entry<String, Agent>> fairest = Comparator
                .comparing((Map.Entry<String, Agent> e) -> passing != null && passing.passedBy.contains(e.getKey()))
                .thenComparingInt(e -> load(e.getKey()))
                .thenComparingLong(e -> e.getValue().idleSince)
                .thenComparing(Map.Entry::getKey);
        return agents.entrySet().stream()
                .filter(e -> e.getValue().online && e.getValue().status == Status.AVAILABLE)
                .filter(e -> e.getValue().serves(department) && load(e.getKey()) < e.getValue().capacity)
                .sorted(fairest).map(Map.Entry::getKey).toList();
    }

    /** Conversations offered to or handled by the agent. */
    public int load(String agent) {
        return (int) conversations.values().stream()
                .filter(c -> agent.equals(c.agent) && (c.state == State.OFFERED || c.state == State.ACTIVE)).count();
    }

    /** Where the conversation is in the queue of its department, from 1; empty when it is not queued. */
    public Optional<Integer> position(String conversation) {
        Conversation c = conversations.get(conversation);
        if (c == null || c.state != State.QUEUED) {
            return Optional.empty();
        }
        int position = 0;
        for (String id : queue) {
            Conversation ahead = conversations.get(id);
            if (ahead != null && Objects.equals(ahead.department, c.department)) {
                position++;
            }
            if (id.equals(conversation)) {
                return Optional.of(position);
            }
        }
        return Optional.empty();
    }

    /** Seats of agents online and available for this department: those free now and those that will free. */
    public int seats(String department) {
        return agents.values().stream().filter(a -> a.online && a.status == Status.AVAILABLE && a.serves(department))
                .mapToInt(a -> a.capacity).sum();
    }

    /** Whether some agent is online (available or away): if none is, customers may leave a message. */
    public boolean anyAgentOnline() {
        return agents.values().stream().anyMatch(a -> a.online);
    }

    // ---- changes ----

    /** A customer starts a conversation: it joins the queue's tail and goes to an agent if one is free. */
    public List<Offer> enqueue(Conversation conversation, long now, ZoneId zone) {
        conversation.state = State.QUEUED;
        conversation.queuedAt = now;
        conversation.presenceToldAt = now;
        conversations.put(conversation.id, conversation);
        queue.add(conversation.id);
        figures(now, zone).waited++;
        return assign(now);
    }

    /** A customer leaves a message while nobody is there: agents see it first when they come. */
    public void leaveMessage(Conversation conversation, long now) {
        conversation.state = State.MESSAGE;
        conversation.queuedAt = now;
        conversations.put(conversation.id, conversation);
    }

    /** Gives waiting conversations, in queue order (per department), to the fairest agents with a free seat. */
    public List<Offer> assign(long now) {
        List<Offer> offers = new ArrayList<>();
        for (String id : List.copyOf(queue)) {
            Conversation c = conversations.get(id);
            List<String> candidates = eligible(c.department, c);
            if (candidates.isEmpty()) {
                continue; // none for its department: later ones of other departments may still go
            }
            offer(c, candidates.get(0), now);
            offers.add(new Offer(c.id, c.agent));
        }
        return offers;
    }

    private void offer(Conversation c, String agent, long now) {
        queue.remove(c.id);
        c.state = State.OFFERED;
        c.returned = false;
        c.agent = agent;
        c.offeredAt = now;
        agents.get(agent).idleSince = now;
    }

    /** The agent answers an offer: the conversation is theirs, and the customer's wait ends. */
    public boolean accept(String agent, String conversation, long now, ZoneId zone) {
        Conversation c = conversations.get(conversation);
        if (c == null || c.state != State.OFFERED || !agent.equals(c.agent)) {
            return false;
        }
        activate(c, now, zone);
        return true;
    }

    private void activate(Conversation c, long now, ZoneId zone) {
        c.state = State.ACTIVE;
        if (c.answeredAt == 0) {
            c.answeredAt = now;
            Figures f = figures(now, zone);
            f.answered++;
            f.waitMillisTotal += now - c.queuedAt;
        }
    }

    /**
     * The agent takes a given waiting conversation (queued, or a message), ahead of the queue's order;
     * refused when they are not online or have no free seat.
     */
    public boolean take(String agent, String conversation, long now, ZoneId zone) {
        Conversation c = conversations.get(conversation);
        Agent a = agents.get(agent);
        if (c == null || a == null || !a.online || load(agent) >= a.capacity
                || (c.state != State.QUEUED && c.state != State.MESSAGE)) {
            return false;
        }
        queue.remove(c.id);
        c.returned = false;
        c.agent = agent;
        a.idleSince = now;
        activate(c, now, zone);
        return true;
    }

    /** Offers unanswered for {@code timeoutMillis} go back to the queue's head, to be offered to someone else first. */
    public List<Offer> lapseOffers(long now, long timeoutMillis) {
        List<Conversation> lapsed = conversations.values().stream()
                .filter(c -> c.state == State.OFFERED && now - c.offeredAt >= timeoutMillis).toList();
        for (Conversation c : lapsed) {
            requeueAtHead(c, true);
        }
        return lapsed.isEmpty() ? List.of() : assign(now);
    }

    private void requeueAtHead(Conversation c, boolean passed) {
        if (passed && c.agent != null && !c.passedBy.contains(c.agent)) {
            c.passedBy.add(c.agent);
        }
        c.state = State.QUEUED;
        c.agent = null;
        c.returned = true;
        // Ahead of every conversation never offered; several returned keep the order they first queued in.
        int at = 0;
        while (at < queue.size()) {
            Conversation there = conversations.get(queue.get(at));
            if (!there.returned || there.queuedAt > c.queuedAt) {
                break;
            }
            at++;
        }
        queue.add(at, c.id);
    }

    /**
     * Matches the desk with who has a connection on some node (presence, which a dead node's lease
     * clears): agents no longer there go offline, agents back come online, and each conversation
     * notes whether its customer is there. The lists were read at {@code seenAt}: whoever a connection
     * told the desk about since then (opened, or their last closed) is left as that connection told it,
     * for the lists may not show it yet: an agent who connected just after them is not taken offline.
     */
    public void reconcile(Set<String> agentsPresent, Set<String> customersPresent, long seenAt, long now) {
        for (Map.Entry<String, Agent> entry : agents.entrySet()) {
            Agent a = entry.getValue();
            if (a.presenceToldAt >= seenAt) {
                continue;
            }
            boolean present = agentsPresent.contains(entry.getKey());
            if (a.online && !present) {
                goOffline(a, now);
            } else if (!a.online && present) {
                a.online = true;
                a.goneSince = 0;
            }
        }
        for (Conversation c : conversations.values()) {
            if (c.presenceToldAt >= seenAt) {
                continue;
            }
            if (customersPresent.contains(c.customer)) {
                c.customerGoneSince = 0;
            } else if (c.customerGoneSince == 0 && c.state != State.MESSAGE) {
                c.customerGoneSince = now;
            }
        }
    }

    /** Conversations still waiting (queued or offered) whose customer has been gone for the grace are abandoned. */
    public List<Closed> abandon(long now, long graceMillis, ZoneId zone) {
        List<String> gone = conversations.values().stream()
                .filter(c -> (c.state == State.QUEUED || c.state == State.OFFERED) && c.customerGoneSince > 0
                        && now - c.customerGoneSince >= graceMillis)
                .map(c -> c.id).toList();
        List<Closed> closedNow = new ArrayList<>();
        for (String id : gone) {
            close(id, now, zone).ifPresent(closedNow::add);
        }
        return closedNow;
    }

    /**
     * Conversations whose customer has waited for an agent at least {@code millis} and that were not
     * reported yet: each is marked reported, so that however many nodes run the round, one reports it.
     */
    public List<Conversation> waitingLong(long now, long millis) {
        List<Conversation> waiting = conversations.values().stream()
                .filter(c -> (c.state == State.QUEUED || c.state == State.OFFERED) && !c.waitingTold && now - c.queuedAt >= millis)
                .toList();
        waiting.forEach(c -> c.waitingTold = true);
        return waiting;
    }

    /** The customer's open conversations (normally one). */
    public List<Conversation> conversationsOf(String customer) {
        return conversations.values().stream().filter(c -> customer.equals(c.customer)).toList();
    }

    /** An agent's first connection opened. */
    public List<Offer> agentOnline(String agent, int capacity, List<String> departments, long now) {
        Agent a = agents.computeIfAbsent(agent, name -> new Agent());
        a.capacity = capacity;
        a.departments = new ArrayList<>(departments);
        a.presenceToldAt = now;
        if (!a.online) {
            a.online = true;
            a.goneSince = 0;
            a.idleSince = Math.max(a.idleSince, now);
        }
        return assign(now);
    }

    /** An agent's last connection closed: no new conversations; theirs wait a grace. */
    public void agentOffline(String agent, long now) {
        Agent a = agents.get(agent);
        if (a != null) {
            a.presenceToldAt = now;
            goOffline(a, now);
        }
    }

    /** Offline (their last connection closed, or their node died): no new conversations; theirs wait a grace. */
    private static void goOffline(Agent a, long now) {
        if (a.online) {
            a.online = false;
            a.goneSince = now;
        }
    }

    /** A customer's connection opened: their open conversation is no longer waiting for them to come back. */
    public void customerBack(String customer, long now) {
        for (Conversation c : conversationsOf(customer)) {
            c.presenceToldAt = now;
            c.customerGoneSince = 0;
        }
    }

    /** A customer's last connection closed: a conversation of theirs still waiting is abandoned after a grace. */
    public void customerLeft(String customer, long now) {
        for (Conversation c : conversationsOf(customer)) {
            c.presenceToldAt = now;
            if (c.customerGoneSince == 0 && c.state != State.MESSAGE) {
                c.customerGoneSince = now;
            }
        }
    }

    /** An agent sets their status; becoming available counts as the start of their idle time. */
    public List<Offer> setStatus(String agent, Status status, long now) {
        Agent a = agents.get(agent);
        if (a == null) {
            return List.of();
        }
        if (a.status != status && status == Status.AVAILABLE) {
            a.idleSince = now;
        }
        a.status = status;
        return assign(now);
    }

    /**
     * Conversations of agents gone for {@code graceMillis} go back to the queue's head (the agent is
     * set away); returns the conversations rescued.
     */
    public List<String> rescue(long now, long graceMillis) {
        List<String> rescued = new ArrayList<>();
        for (Map.Entry<String, Agent> entry : agents.entrySet()) {
            Agent a = entry.getValue();
            if (a.online || a.goneSince == 0 || now - a.goneSince < graceMillis) {
                continue;
            }
            a.status = Status.AWAY;
            for (Conversation c : List.copyOf(conversations.values())) {
                if (entry.getKey().equals(c.agent) && (c.state == State.OFFERED || c.state == State.ACTIVE)) {
                    requeueAtHead(c, false);
                    rescued.add(c.id);
                }
            }
        }
        return rescued;
    }

    /**
     * The agent hands the conversation on: to another agent online with a free seat (offered to them),
     * or, with {@code to} null, back to the queue's head.
     */
    public boolean transfer(String from, String conversation, String to, long now) {
        Conversation c = conversations.get(conversation);
        if (c == null || !from.equals(c.agent) || (c.state != State.ACTIVE && c.state != State.OFFERED)) {
            return false;
        }
        if (to == null) {
            requeueAtHead(c, true);
            return true;
        }
        Agent target = agents.get(to);
        if (target == null || to.equals(from) || !target.online || load(to) >= target.capacity) {
            return false;
        }
        c.passedBy.add(from);
        c.state = State.OFFERED;
        c.agent = to;
        c.offeredAt = now;
        target.idleSince = now;
        return true;
    }

    /**
     * Closes the conversation. One closed while it waits for an agent (queued, or offered and not yet
     * accepted) is abandoned, even if an agent had answered it before it went back to the queue: the
     * customer left unanswered. One closed while an agent handles it counts its handle time; a message
     * left while nobody was there and never taken counts as neither.
     */
    public Optional<Closed> close(String conversation, long now, ZoneId zone) {
        Conversation c = conversations.remove(conversation);
        if (c == null) {
            return Optional.empty();
        }
        queue.remove(conversation);
        Figures f = figures(now, zone);
        if (c.state == State.QUEUED || c.state == State.OFFERED) {
            f.abandoned++;
        } else if (c.state == State.ACTIVE) {
            long handle = now - c.answeredAt;
            handleMillis.add(handle);
            if (handleMillis.size() > HANDLE_SAMPLES) {
                handleMillis.remove(0);
            }
            f.handled++;
            f.handleMillisTotal += handle;
        }
        Closed done = new Closed();
        done.id = c.id;
        done.customer = c.customer;
        done.customerName = c.customerName;
        done.email = c.email;
        done.department = c.department;
        done.agent = c.agent;
        done.queuedAt = c.queuedAt;
        done.answeredAt = c.answeredAt;
        done.closedAt = now;
        closed.add(done);
        if (closed.size() > CLOSED_KEPT) {
            closed.remove(0);
        }
        return Optional.of(done);
    }

    /** What became of a customer's rating. */
    public enum Rating {
        /** Counted in the day's figures. */
        RATED,
        /** Not a conversation of this customer's, open or closed (or one the desk no longer remembers). */
        NOT_THEIRS,
        /** Theirs, but still open, rated already, or a score outside 1 to 5. */
        REFUSED
    }

    /** The customer rates a conversation of theirs that closed, once. Whose it is is decided first. */
    public Rating rate(String customer, String conversation, int score, long now, ZoneId zone) {
        Conversation open = conversations.get(conversation);
        if (open != null) {
            return customer.equals(open.customer) ? Rating.REFUSED : Rating.NOT_THEIRS;
        }
        Closed c = closed.stream().filter(done -> done.id.equals(conversation)).findFirst().orElse(null);
        if (c == null || !c.customer.equals(customer)) {
            return Rating.NOT_THEIRS;
        }
        if (c.rated || score < 1 || score > 5) {
            return Rating.REFUSED;
        }
        c.rated = true;
        Figures f = figures(now, zone);
        f.ratings++;
        f.ratingTotal += score;
        return Rating.RATED;
    }

    /** The figures of the day {@code now} falls in, begun afresh when it is a new day. */
    Figures figures(long now, ZoneId zone) {
        String day = Instant.ofEpochMilli(now).atZone(zone).toLocalDate().toString();
        if (!day.equals(today.day)) {
            today = new Figures();
            today.day = day;
        }
        return today;
    }
}

package dev.switchboard.support;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Presence;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.EnvelopeCodec;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.reply.Replies;
import dev.switchboard.security.Role;
import dev.switchboard.security.TokenService;
import dev.switchboard.security.VerifiedUser;
import dev.switchboard.session.Channel;
import dev.switchboard.session.Connection;
import dev.switchboard.session.ConnectionClosed;
import dev.switchboard.session.Frame;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.support.Desk.State;
import dev.switchboard.support.DeskViews.Participant;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * A desk connection's life: it opens (welcome, then the customer's conversation or the agent's desk),
 * its frames go to the desk's rules through the store (so every node agrees) or to the conversation's
 * transcript, and it closes (presence, so the desk knows who is gone). Keeps no state of its own.
 */
@ApplicationScoped
public class SupportService {

    /** Customers' connections. */
    static final Channel CUSTOMERS = new Channel("support", true);
    /** Presence rooms of the desk: not chat room names (chat's cannot contain '/'). */
    static final String AGENTS_HERE = "support/agents";
    static final String CUSTOMERS_HERE = "support/customers";
    private static final Pattern CONVERSATION = Pattern.compile("[0-9a-f]{20}");
    private static final Pattern DEPARTMENT = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    SessionRegistry registry;

    @Inject
    DeskStore store;

    @Inject
    DeskViews views;

    @Inject
    Transcripts transcripts;

    @Inject
    Presence presence;

    @Inject
    Bus bus;

    @Inject
    Accounts accounts;

    @Inject
    Replies replies;

    @Inject
    NodeId node;

    @Inject
    TokenService tokens;

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private Channel staff;
    private ZoneId zone;
    private BusinessHours hours;
    private List<String> canned;

    @PostConstruct
    void readSettings() {
        staff = new Channel("support-staff", true, config.duration(Setting.SUPPORT_AGENT_TIMEOUT));
        zone = ZoneId.of(config.text(Setting.SUPPORT_ZONE));
        try {
            hours = BusinessHours.parse(config.text(Setting.SUPPORT_HOURS), zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Setting " + Setting.SUPPORT_HOURS.property() + ": " + e.getMessage(), e);
        }
        String cannedSetting = config.text(Setting.SUPPORT_CANNED);
        canned = cannedSetting.isBlank() ? List.of()
                : List.of(cannedSetting.split("\\|")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public record Welcome(String type, String role, String user, String name, String node, List<String> canned) {
    }

    /** Opens a desk connection for a verified customer, agent or supervisor. */
    public void open(Session session, VerifiedUser user, String conversation, String since, String epoch) {
        boolean isStaff = user.role().isStaff();
        Connection connection = registry.register(session, isStaff ? staff : CUSTOMERS, user.name(), null);
        connection.identityValidUntil(user.expiresAt());
        Participant participant = new Participant(connection, user.role(), user.name(), user.displayName(), user.email());
        connection.send(new Frame.Text(EnvelopeCodec.toJson(new Welcome("welcome", user.role().claimValue(), user.name(),
                user.displayName(), node.get(), isStaff ? canned : null))));
        views.add(participant);
        try {
            if (isStaff) {
                presence.enter(AGENTS_HERE, user.name(), connection.id());
                Accounts.Account settings = accounts.settingsOf(user.name(), user.role());
                store.change(desk -> desk.agentOnline(user.name(), settings.capacity(), settings.departments(), now()));
                views.refresh();
            } else {
                presence.enter(CUSTOMERS_HERE, user.name(), connection.id());
                resumeCustomer(participant, conversation, since, epoch);
            }
        } catch (EngineUnavailable e) {
            unavailable(connection, e, null);
        }
    }

    /**
     * A customer back: their open conversation is theirs again (no longer "gone"), and they follow its
     * transcript from where they were ({@code since} in {@code epoch}), or from its start.
     */
    private void resumeCustomer(Participant p, String conversation, String since, String epoch) {
        DeskStore.Versioned desk = store.change(d -> {
            d.conversationsOf(p.user).forEach(c -> c.customerGoneSince = 0);
            return null;
        }).after();
        List<Desk.Conversation> open = desk.desk().conversationsOf(p.user);
        if (!open.isEmpty()) {
            String id = open.get(0).id;
            Long from = id.equals(conversation) ? parseOffset(since) : null;
            transcripts.follow(p.connection, id, from, from == null ? null : epoch);
        }
        views.show(desk);
    }

    private long now() {
        return clock.millis();
    }

    /** Handles one client frame. */
    public void handle(Session session, ClientFrame frame) {
        Connection connection = registry.receive(session, frame.receivedBytes()).orElse(null);
        Participant p = connection == null ? null : views.participant(connection);
        if (p == null) {
            return;
        }
        try {
            route(p, frame);
        } catch (EngineUnavailable e) {
            unavailable(connection, e, frame.cid());
        }
    }

    private void route(Participant p, ClientFrame frame) {
        String cid = frame.cid();
        String type = frame.type();
        if (type.equals("ping")) {
            replies.reply(p.connection, Envelope.of(MessageType.PONG).withCid(cid));
            return;
        }
        if (type.equals("refresh")) {
            refresh(p, frame);
            return;
        }
        boolean customerFrame = switch (type) {
            case "start", "rate", "leave_message" -> true;
            default -> false;
        };
        boolean staffFrame = switch (type) {
            case "status", "accept", "take", "transfer" -> true;
            default -> false;
        };
        if (customerFrame && p.role != Role.CUSTOMER || staffFrame && !p.role.isStaff()) {
            replies.refuse(p.connection, Envelope.error(ErrorCode.FORBIDDEN,
                    "'" + type + "' is for " + (customerFrame ? "customers" : "agents")).withCid(cid));
            return;
        }
        if (!replies.withinRate(p.connection, null, cid)) {
            return;
        }
        switch (type) {
            case "start" -> start(p, frame);
            case "leave_message" -> leaveMessage(p, frame);
            case "say" -> say(p, frame);
            case "typing", "read" -> signal(p, frame);
            case "close" -> close(p, frame);
            case "rate" -> rate(p, frame);
            case "status" -> status(p, frame);
            case "accept" -> accept(p, frame);
            case "take" -> take(p, frame);
            case "transfer" -> transfer(p, frame);
            default -> replies.refuse(p.connection, Envelope.error(ErrorCode.UNSUPPORTED_TYPE,
                    "The desk does not take '" + type + "'").withCid(cid));
        }
    }

    /** A fresh token for the same person and role extends the connection's life to its expiry. */
    private void refresh(Participant p, ClientFrame frame) {
        Optional<TokenService.Verified> verified = tokens.verify(frame.text("token").orElse(null));
        if (verified.isEmpty() || !verified.get().user().equals(p.user) || verified.get().role() != p.role) {
            refuse(p, ErrorCode.INVALID_TOKEN, "Not a valid token for you; the connection keeps its old expiry", frame);
            return;
        }
        p.connection.identityValidUntil(verified.get().expiresAt());
        replies.reply(p.connection, Envelope.of(MessageType.REFRESHED).withCid(frame.cid())
                .withExpiresAt(verified.get().expiresAt().toString()));
    }

    // ---- customers ----

    private void start(Participant p, ClientFrame frame) {
        String department = frame.text("department").orElse(null);
        if (department != null && !DEPARTMENT.matcher(department).matches()) {
            refuse(p, ErrorCode.BAD_NAME, "A department is 1-32 letters, digits, '_', '-', '.'", frame);
            return;
        }
        Desk.Conversation wanted = newConversation(p, department);
        boolean withinHours = hours.isOpen(clock.instant());
        DeskStore.Changed<Optional<Desk.Conversation>> started = store.change(desk -> {
            List<Desk.Conversation> open = desk.conversationsOf(p.user);
            if (!open.isEmpty()) {
                return Optional.of(open.get(0)); // one open conversation per customer: starting again resumes it
            }
            if (!withinHours || !desk.anyAgentOnline()) {
                return Optional.empty();
            }
            desk.enqueue(wanted, now(), zone);
            return Optional.of(desk.conversations.get(wanted.id));
        });
        if (started.result().isEmpty()) {
            replies.reply(p.connection, withinHours
                    ? new NoAgents("no_agents", "nobody", frame.cid(), "No agent is online now; leave a message and we will answer it")
                    : new NoAgents("no_agents", "hours", frame.cid(), "We are closed now; leave a message and we will answer it"));
            return;
        }
        String id = started.result().get().id;
        if (!Transcripts.follows(p.connection, id)) {
            transcripts.follow(p.connection, id, null, null);
        }
        replies.reply(p.connection, new Ack(frame.cid(), id));
        views.show(started.after());
        frame.text("text").filter(t -> !t.isBlank()).ifPresent(text -> appendThen(p, id, text, null, "support-say"));
    }

    /** No agent can take a conversation now; the customer may leave a message. */
    public record NoAgents(String type, String reason, String cid, String message) {
    }

    private Desk.Conversation newConversation(Participant p, String department) {
        byte[] id = new byte[10];
        RANDOM.nextBytes(id);
        Desk.Conversation c = new Desk.Conversation();
        c.id = HexFormat.of().formatHex(id);
        c.customer = p.user;
        c.customerName = p.displayName == null ? p.user : p.displayName;
        c.email = p.email;
        c.department = department;
        return c;
    }

    private void leaveMessage(Participant p, ClientFrame frame) {
        Optional<String> text = frame.text("text").filter(t -> !t.isBlank());
        if (text.isEmpty()) {
            refuse(p, ErrorCode.MISSING_FIELD, "Field 'text' is required", frame);
            return;
        }
        if (!replies.firstTry(p.connection, "support-leave", frame.cid())) {
            return;
        }
        Desk.Conversation wanted = newConversation(p, frame.text("department").filter(d -> DEPARTMENT.matcher(d).matches())
                .orElse(null));
        frame.text("email").filter(e -> e.contains("@") && e.length() <= 254).ifPresent(e -> wanted.email = e);
        DeskStore.Changed<String> left = store.change(desk -> {
            desk.leaveMessage(wanted, now());
            return wanted.id;
        });
        transcripts.follow(p.connection, left.result(), null, null);
        appendThen(p, left.result(), text.get(), frame.cid(), "support-leave");
        views.show(left.after());
    }

    private void rate(Participant p, ClientFrame frame) {
        Optional<String> id = conversationOf(p, frame);
        if (id.isEmpty()) {
            return;
        }
        long score = frame.number("score").orElse(0);
        String comment = frame.text("comment").map(c -> c.length() > 1000 ? c.substring(0, 1000) : c).orElse(null);
        boolean rated = store.change(desk -> desk.rate(p.user, id.get(), (int) Math.min(score, 6), now(), zone)).result();
        if (!rated) {
            refuse(p, ErrorCode.CONFLICT, "Rate a conversation of yours once it is closed, once, from 1 to 5", frame);
            return;
        }
        transcripts.append(id.get(), new Transcripts.Happened("rated", p.user, null, (int) score, comment, now()));
        replies.reply(p.connection, new Ack(frame.cid(), id.get()));
    }

    // ---- both sides ----

    private void say(Participant p, ClientFrame frame) {
        Optional<String> id = conversationOf(p, frame);
        Optional<String> text = frame.text("text").filter(t -> !t.isEmpty());
        if (id.isEmpty()) {
            return;
        }
        if (text.isEmpty()) {
            refuse(p, ErrorCode.MISSING_FIELD, "Field 'text' is required", frame);
            return;
        }
        if (!mayTalkIn(p, id.get(), frame)) {
            return;
        }
        if (!replies.firstTry(p.connection, "support-say", frame.cid())) {
            return;
        }
        if (p.role.isStaff()) {
            // An agent's first word on a conversation offered to them is their answer to the offer.
            store.change(desk -> desk.accept(p.user, id.get(), now(), zone));
        }
        appendThen(p, id.get(), text.get(), frame.cid(), "support-say");
    }

    /** Appends the message to the transcript; acknowledged with its offset once stored. */
    private void appendThen(Participant p, String conversation, String text, String cid, String kind) {
        Transcripts.Said said = new Transcripts.Said(UUID.randomUUID().toString(), p.user, p.role.claimValue(),
                p.role == Role.CUSTOMER ? p.displayName : p.user, text, now());
        transcripts.append(conversation, said).whenComplete((entry, failure) -> {
            if (failure != null) {
                replies.letGo(p.connection, kind, cid);
                replies.unavailable(p.connection, "support message", failure, cid,
                        "The message could not be stored; send it again later");
                return;
            }
            replies.acknowledge(p.connection, kind, cid,
                    EnvelopeCodec.toJson(new Ack("ack", cid, conversation, entry.offset(), said.id())));
        });
    }

    /** Typing and read receipts: told to the other side's connections, kept nowhere. */
    private void signal(Participant p, ClientFrame frame) {
        Optional<String> id = conversationOf(p, frame);
        if (id.isEmpty() || !mayTalkIn(p, id.get(), frame)) {
            return;
        }
        Long offset = frame.type().equals("read") ? frame.number("offset").orElse(0) : null;
        bus.signal(Transcripts.logOf(id.get()), EnvelopeCodec.toJson(new Signal(frame.type(), id.get(),
                p.role.claimValue(), p.role == Role.CUSTOMER ? p.displayName : p.user, offset)), p.connection.id());
    }

    /** Someone in a conversation is typing, or has read up to an offset. */
    public record Signal(String type, String conversation, String role, String from, Long offset) {
    }

    private void close(Participant p, ClientFrame frame) {
        Optional<String> id = conversationOf(p, frame);
        if (id.isEmpty() || !mayTalkIn(p, id.get(), frame)) {
            return;
        }
        DeskStore.Changed<Optional<Desk.Closed>> closed = store.change(desk -> desk.close(id.get(), now(), zone));
        if (closed.result().isEmpty()) {
            refuse(p, ErrorCode.NOT_FOUND, "That conversation is closed already", frame);
            return;
        }
        recordClosed(closed.result().get(), p.user);
        replies.reply(p.connection, new Ack(frame.cid(), id.get()));
        views.show(closed.after());
    }

    /** Tells the transcript (by whom: a user, or {@code desk} when abandoned) and lists the conversation among the closed. */
    void recordClosed(Desk.Closed done, String by) {
        transcripts.append(done.id, new Transcripts.Happened("closed", by, null, null, null, done.closedAt));
        transcripts.listClosed(new Transcripts.ClosedConversation(done.id, done.customer, done.customerName, done.email,
                done.department, done.agent, done.queuedAt, done.answeredAt, done.closedAt));
    }

    // ---- agents ----

    private void status(Participant p, ClientFrame frame) {
        Optional<Desk.Status> status = frame.text("status").flatMap(SupportService::statusOf);
        if (status.isEmpty()) {
            refuse(p, ErrorCode.BAD_FIELD, "A status is 'available' or 'away'", frame);
            return;
        }
        DeskStore.Changed<List<Desk.Offer>> changed = store.change(desk -> desk.setStatus(p.user, status.get(), now()));
        replies.reply(p.connection, new Ack(frame.cid(), null));
        views.show(changed.after());
    }

    private static Optional<Desk.Status> statusOf(String text) {
        return switch (text) {
            case "available" -> Optional.of(Desk.Status.AVAILABLE);
            case "away" -> Optional.of(Desk.Status.AWAY);
            default -> Optional.empty();
        };
    }

    private void accept(Participant p, ClientFrame frame) {
        deskAction(p, frame, (desk, id) -> desk.accept(p.user, id, now(), zone),
                "That conversation is not offered to you (any more)");
    }

    private void take(Participant p, ClientFrame frame) {
        deskAction(p, frame, (desk, id) -> desk.take(p.user, id, now(), zone),
                "Someone took it first, or you have no free seat");
    }

    private void transfer(Participant p, ClientFrame frame) {
        String to = frame.text("to").filter(t -> !t.isBlank()).orElse(null);
        deskAction(p, frame, (desk, id) -> {
            boolean moved = desk.transfer(p.user, id, to, now());
            if (moved) {
                desk.assign(now()); // back in the queue: it may go to someone at once
            }
            return moved;
        }, "Only its agent transfers it, to an agent online with a free seat").ifPresent(id -> transcripts.append(id,
                new Transcripts.Happened("transferred", p.user, to, null, null, now())));
    }

    /** Applies a desk action to the frame's conversation; the conversation's id when it was done. */
    private Optional<String> deskAction(Participant p, ClientFrame frame, BiFunction<Desk, String, Boolean> action,
            String conflict) {
        Optional<String> id = conversationOf(p, frame);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        DeskStore.Changed<Boolean> done = store.change(desk -> desk.conversations.containsKey(id.get())
                && action.apply(desk, id.get()));
        if (!done.result()) {
            refuse(p, ErrorCode.CONFLICT, conflict, frame);
            return Optional.empty();
        }
        replies.reply(p.connection, new Ack(frame.cid(), id.get()));
        views.show(done.after());
        return id;
    }

    // ---- checks ----

    /** The frame's conversation id, well formed; answered and empty otherwise. */
    private Optional<String> conversationOf(Participant p, ClientFrame frame) {
        Optional<String> id = frame.text("conversation");
        if (id.isEmpty()) {
            refuse(p, ErrorCode.MISSING_FIELD, "Field 'conversation' is required", frame);
            return Optional.empty();
        }
        if (!CONVERSATION.matcher(id.get()).matches()) {
            refuse(p, ErrorCode.BAD_FIELD, "Not a conversation id", frame);
            return Optional.empty();
        }
        return id;
    }

    /**
     * Whether the connection may speak in the conversation: its customer, the agent it is offered to or
     * handled by, or a supervisor. Checked on this node's last view of the desk, then on the store's
     * before a refusal (the view may lag a change made elsewhere by a few milliseconds).
     */
    private boolean mayTalkIn(Participant p, String conversation, ClientFrame frame) {
        if (party(views.latest().desk(), p, conversation)) {
            return true;
        }
        Desk stored = store.read().desk();
        if (party(stored, p, conversation)) {
            return true;
        }
        Desk.Conversation c = stored.conversations.get(conversation);
        refuse(p, c == null && p.role.isStaff() ? ErrorCode.NOT_FOUND : ErrorCode.FORBIDDEN,
                c == null && p.role.isStaff() ? "No open conversation has that id" : "Not a conversation of yours", frame);
        return false;
    }

    private static boolean party(Desk desk, Participant p, String conversation) {
        Desk.Conversation c = desk.conversations.get(conversation);
        if (c == null) {
            return false;
        }
        if (p.role == Role.CUSTOMER) {
            return p.user.equals(c.customer);
        }
        return p.role == Role.SUPERVISOR || p.user.equals(c.agent) && (c.state == State.OFFERED || c.state == State.ACTIVE);
    }

    private void refuse(Participant p, ErrorCode code, String message, ClientFrame frame) {
        replies.refuse(p.connection, Envelope.error(code, message).withCid(frame.cid()));
    }

    private void unavailable(Connection connection, EngineUnavailable e, String cid) {
        replies.unavailable(connection, "support frame", e, cid, "The desk cannot be reached now; try again shortly");
    }

    /** The desk's ack: the client id, and the conversation (with the message's offset and id, for a message). */
    public record Ack(String type, String cid, String conversation, Long offset, String id) {
        Ack(String cid, String conversation) {
            this("ack", cid, conversation, null, null);
        }
    }

    private static Long parseOffset(String text) {
        if (text == null) {
            return null;
        }
        try {
            long offset = Long.parseLong(text);
            return offset >= 0 ? offset : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A desk connection went: presence first, so the desk knows at once whether the person is gone. */
    void connectionClosed(@Observes ConnectionClosed closed) {
        Connection connection = closed.connection();
        boolean isStaff = connection.channel().equals(staff);
        if (!isStaff && !connection.channel().equals(CUSTOMERS)) {
            return;
        }
        try {
            boolean last = presence.exit(isStaff ? AGENTS_HERE : CUSTOMERS_HERE, connection.user(), connection.id());
            if (last && isStaff) {
                store.change(desk -> {
                    desk.agentOffline(connection.user(), now());
                    return null;
                });
            } else if (last) {
                store.change(desk -> {
                    for (Desk.Conversation c : desk.conversationsOf(connection.user())) {
                        if (c.customerGoneSince == 0 && c.state != State.MESSAGE) {
                            c.customerGoneSince = now();
                        }
                    }
                    return null;
                });
            }
        } catch (EngineUnavailable e) {
            // The desk clock reconciles with presence once the engine is back; the node's lease covers a dead node.
        }
    }
}

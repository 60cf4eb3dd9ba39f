package dev.switchboard.support;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Presence;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.reply.Replies;
import dev.switchboard.security.Role;
import dev.switchboard.security.TokenService;
import dev.switchboard.security.VerifiedUser;
import dev.switchboard.session.Channel;
import dev.switchboard.session.Connection;
import dev.switchboard.session.ConnectionClosed;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.support.DeskViews.Participant;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.util.List;
import java.util.Optional;

/**
 * A desk connection's life: it opens (welcome, then the customer's conversation or the agent's desk),
 * its frames are checked against its role and rate and go to what that side does ({@link CustomerFrames},
 * {@link AgentFrames}, {@link ConversationFrames}: the desk's rules through the store, so every node
 * agrees, or the conversation's transcript), and it closes (presence, so the desk knows who is gone).
 * Keeps no state of its own.
 */
@ApplicationScoped
public class SupportService {

    /** Customers' connections. */
    static final Channel CUSTOMERS = new Channel("support", true);
    /** Presence rooms of the desk: not chat room names (chat's cannot contain '/'). */
    static final String AGENTS_HERE = "support/agents";
    static final String CUSTOMERS_HERE = "support/customers";

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
    CustomerFrames customers;

    @Inject
    AgentFrames agents;

    @Inject
    ConversationFrames conversations;

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

    @Inject
    DeskClock time;

    private Channel staff;
    private List<String> canned;

    @PostConstruct
    void readSettings() {
        staff = new Channel("support-staff", true, config.duration(Setting.SUPPORT_AGENT_TIMEOUT));
        String cannedSetting = config.text(Setting.SUPPORT_CANNED);
        canned = cannedSetting.isBlank() ? List.of()
                : List.of(cannedSetting.split("\\|")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Opens a desk connection for a verified customer, agent or supervisor. */
    public void open(Session session, VerifiedUser user, String conversation, String since, String epoch) {
        boolean isStaff = user.role().isStaff();
        Connection connection = registry.register(session, isStaff ? staff : CUSTOMERS, user.name(), null);
        connection.identityValidUntil(user.expiresAt());
        Participant participant = new Participant(connection, user.role(), user.name(), user.displayName(), user.email());
        replies.reply(connection, new DeskFrame.Welcome(user.role().claimValue(), user.name(), user.displayName(), node.get(),
                isStaff ? canned : null));
        views.add(participant);
        try {
            if (isStaff) {
                presence.enter(AGENTS_HERE, user.name(), connection.id());
                Accounts.Account settings = accounts.settingsOf(user.name(), user.role());
                store.change(desk -> desk.agentOnline(user.name(), settings.capacity(), settings.departments(), time.now()));
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
            d.customerBack(p.user, time.now());
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
            replies.reply(p.connection, new SharedFrame.Pong(cid));
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
            replies.refuse(p.connection, SharedFrame.Error.of(ErrorCode.FORBIDDEN,
                    "'" + type + "' is for " + (customerFrame ? "customers" : "agents")).withCid(cid));
            return;
        }
        if (!replies.withinRate(p.connection, null, cid)) {
            return;
        }
        switch (type) {
            case "start" -> customers.start(p, frame);
            case "leave_message" -> customers.leaveMessage(p, frame);
            case "rate" -> customers.rate(p, frame);
            case "say" -> conversations.say(p, frame);
            case "typing", "read" -> conversations.signal(p, frame);
            case "close" -> conversations.close(p, frame);
            case "status" -> agents.status(p, frame);
            case "accept" -> agents.accept(p, frame);
            case "take" -> agents.take(p, frame);
            case "transfer" -> agents.transfer(p, frame);
            // SupportFrames answers the others (unknown_type or unsupported_type) before they get here.
            default -> throw new IllegalStateException("Not a type the desk takes: " + type);
        }
    }

    /** A fresh token for the same person and role extends the connection's life to its expiry. */
    private void refresh(Participant p, ClientFrame frame) {
        Optional<TokenService.Verified> verified = tokens.verify(frame.text("token").orElse(null));
        if (verified.isEmpty() || !verified.get().user().equals(p.user) || verified.get().role() != p.role) {
            conversations.refuse(p, ErrorCode.INVALID_TOKEN, "Not a valid token for you; the connection keeps its old expiry", frame);
            return;
        }
        p.connection.identityValidUntil(verified.get().expiresAt());
        replies.reply(p.connection, new SharedFrame.Refreshed(frame.cid(), null, verified.get().expiresAt().toString()));
    }

    private void unavailable(Connection connection, EngineUnavailable e, String cid) {
        replies.unavailable(connection, "support frame", e, cid, "The desk cannot be reached now; try again shortly");
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
        // Throws EngineUnavailable while the engine is away: the registry fires this again later, and a
        // retried exit (whose first try may have run unanswered) asks whether the person is still here.
        String here = isStaff ? AGENTS_HERE : CUSTOMERS_HERE;
        boolean last = presence.exit(here, connection.user(), connection.id())
                || closed.retried() && !presence.present(here, connection.user());
        if (last && isStaff) {
            store.change(desk -> {
                desk.agentOffline(connection.user(), time.now());
                return null;
            });
        } else if (last) {
            store.change(desk -> {
                desk.customerLeft(connection.user(), time.now());
                return null;
            });
        }
    }
}

package dev.switchboard.support;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Bus;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.reply.Replies;
import dev.switchboard.security.Role;
import dev.switchboard.support.Desk.State;
import dev.switchboard.support.DeskViews.Participant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What both sides of a conversation do (say, typing and read receipts, close), and the checks every
 * desk frame about a conversation makes: a well-formed id, and that the sender is a party to it.
 */
@ApplicationScoped
public class ConversationFrames {

    private static final Pattern CONVERSATION = Pattern.compile("[0-9a-f]{20}");
    /** The refusals of a conversation that is not the sender's, and of one that is not open (to staff). */
    static final String NOT_YOURS = "Not a conversation of yours";
    static final String NOT_OPEN = "No open conversation has that id";

    @Inject
    DeskStore store;

    @Inject
    DeskViews views;

    @Inject
    Transcripts transcripts;

    @Inject
    Bus bus;

    @Inject
    Replies replies;

    @Inject
    SwitchboardConfig config;

    @Inject
    DeskClock time;

    @Inject
    DeskEvents events;

    void say(Participant p, ClientFrame frame) {
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
            store.change(desk -> desk.accept(p.user, id.get(), time.now(), time.zone()));
        }
        appendThen(p, id.get(), text.get(), frame.cid(), "support-say");
    }

    /** Appends the message to the transcript; acknowledged with its offset once stored. */
    void appendThen(Participant p, String conversation, String text, String cid, String kind) {
        Transcripts.Said said = new Transcripts.Said(UUID.randomUUID().toString(), p.user, p.role.claimValue(),
                p.role == Role.CUSTOMER ? p.displayName : p.user, text, time.now());
        transcripts.append(conversation, said).whenComplete((entry, failure) -> {
            if (failure != null) {
                replies.letGo(p.connection, kind, cid);
                replies.unavailable(p.connection, "support message", failure, cid,
                        "The message could not be stored; send it again later");
                return;
            }
            replies.acknowledge(p.connection, kind, cid, new DeskFrame.Ack(cid, conversation, entry.offset(), said.id()));
        });
    }

    /** Typing and read receipts: told to the other side's connections, kept nowhere. */
    void signal(Participant p, ClientFrame frame) {
        Optional<String> id = conversationOf(p, frame);
        if (id.isEmpty() || !mayTalkIn(p, id.get(), frame)) {
            return;
        }
        String from = p.role == Role.CUSTOMER ? p.displayName : p.user;
        DeskFrame signal = frame.type().equals("read")
                ? new DeskFrame.Read(id.get(), p.role.claimValue(), from, frame.number("offset").orElse(0))
                : new DeskFrame.Typing(id.get(), p.role.claimValue(), from);
        bus.signal(Transcripts.logOf(id.get()), FrameCodec.toJson(signal), p.connection.id());
    }

    void close(Participant p, ClientFrame frame) {
        Optional<String> id = conversationOf(p, frame);
        if (id.isEmpty() || !mayTalkIn(p, id.get(), frame)) {
            return;
        }
        DeskStore.Changed<Optional<Desk.Closed>> closed = store.change(desk -> desk.close(id.get(), time.now(), time.zone()));
        if (closed.result().isEmpty()) {
            refuse(p, ErrorCode.NOT_FOUND, "That conversation is closed already", frame);
            return;
        }
        recordClosed(closed.result().get(), p.user);
        replies.reply(p.connection, new DeskFrame.Ack(frame.cid(), id.get()));
        views.show(closed.after());
    }

    /** Tells the transcript (by whom: a user, or {@code desk} when abandoned) and lists the conversation among the closed. */
    void recordClosed(Desk.Closed done, String by) {
        transcripts.append(done.id, new Transcripts.Happened("closed", by, null, null, null, done.closedAt));
        transcripts.listClosed(new Transcripts.ClosedConversation(done.id, done.customer, done.customerName, done.email,
                done.department, done.agent, done.queuedAt, done.answeredAt, done.closedAt));
        events.closed(done, by);
    }

    /** The frame's conversation id, well formed; answered and empty otherwise. */
    Optional<String> conversationOf(Participant p, ClientFrame frame) {
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
    boolean mayTalkIn(Participant p, String conversation, ClientFrame frame) {
        if (party(views.latest().desk(), p, conversation)) {
            return true;
        }
        Desk stored = store.read().desk();
        if (party(stored, p, conversation)) {
            return true;
        }
        Desk.Conversation c = stored.conversations.get(conversation);
        refuse(p, c == null && p.role.isStaff() ? ErrorCode.NOT_FOUND : ErrorCode.FORBIDDEN,
                c == null && p.role.isStaff() ? NOT_OPEN : NOT_YOURS, frame);
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

    void refuse(Participant p, ErrorCode code, String message, ClientFrame frame) {
        replies.refuse(p.connection, SharedFrame.Error.of(code, message).withCid(frame.cid()));
    }

}

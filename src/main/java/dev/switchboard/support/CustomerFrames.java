package dev.switchboard.support;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.reply.Replies;
import dev.switchboard.support.DeskFrame.Ack;
import dev.switchboard.support.DeskFrame.NoAgents;
import dev.switchboard.support.DeskViews.Participant;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What only customers do: start a conversation (queued, or told nobody is there), leave a message
 * when nobody is, and rate a closed conversation.
 */
@ApplicationScoped
public class CustomerFrames {

    static final Pattern DEPARTMENT = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    DeskStore store;

    @Inject
    DeskViews views;

    @Inject
    Transcripts transcripts;

    @Inject
    Replies replies;

    @Inject
    ConversationFrames conversations;

    @Inject
    SwitchboardConfig config;

    @Inject
    DeskClock time;

    @Inject
    DeskEvents events;
    private BusinessHours hours;

    @PostConstruct
    void readSettings() {
        try {
            hours = BusinessHours.parse(config.text(Setting.SUPPORT_HOURS), time.zone());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Setting " + Setting.SUPPORT_HOURS.property() + ": " + e.getMessage(), e);
        }
    }

    private void refuse(Participant p, ErrorCode code, String message, ClientFrame frame) {
        conversations.refuse(p, code, message, frame);
    }

    void start(Participant p, ClientFrame frame) {
        String department = frame.text("department").orElse(null);
        if (department != null && !DEPARTMENT.matcher(department).matches()) {
            refuse(p, ErrorCode.BAD_NAME, "A department is 1-32 letters, digits, '_', '-', '.'", frame);
            return;
        }
        Desk.Conversation wanted = newConversation(p, department);
        boolean withinHours = hours.isOpen(time.instant());
        DeskStore.Changed<Optional<Desk.Conversation>> started = store.change(desk -> {
            List<Desk.Conversation> open = desk.conversationsOf(p.user);
            if (!open.isEmpty()) {
                return Optional.of(open.get(0)); // one open conversation per customer: starting again resumes it
            }
            if (!withinHours || !desk.anyAgentOnline()) {
                return Optional.empty();
            }
            desk.enqueue(wanted, time.now(), time.zone());
            return Optional.of(desk.conversations.get(wanted.id));
        });
        if (started.result().isEmpty()) {
            replies.reply(p.connection, withinHours
                    ? new NoAgents("nobody", frame.cid(), "No agent is online now; leave a message and we will answer it")
                    : new NoAgents("hours", frame.cid(), "We are closed now; leave a message and we will answer it"));
            return;
        }
        String id = started.result().get().id;
        if (!Transcripts.follows(p.connection, id)) {
            transcripts.follow(p.connection, id, null, null);
        }
        replies.reply(p.connection, new Ack(frame.cid(), id));
        views.show(started.after());
        frame.text("text").filter(t -> !t.isBlank()).ifPresent(text -> conversations.appendThen(p, id, text, null, "support-say"));
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

    void leaveMessage(Participant p, ClientFrame frame) {
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
            desk.leaveMessage(wanted, time.now());
            return wanted.id;
        });
        transcripts.follow(p.connection, left.result(), null, null);
        conversations.appendThen(p, left.result(), text.get(), frame.cid(), "support-leave");
        events.messageLeft(wanted, text.get(), time.now());
        views.show(left.after());
    }

    void rate(Participant p, ClientFrame frame) {
        Optional<String> id = conversations.conversationOf(p, frame);
        if (id.isEmpty()) {
            return;
        }
        long score = frame.number("score").orElse(0);
        String comment = frame.text("comment").map(c -> c.length() > 1000 ? c.substring(0, 1000) : c).orElse(null);
        Desk.Rating rating = store.change(desk -> desk.rate(p.user, id.get(), (int) Math.min(score, 6), time.now(), time.zone()))
                .result();
        if (rating == Desk.Rating.NOT_THEIRS) {
            refuse(p, ErrorCode.FORBIDDEN, ConversationFrames.NOT_YOURS, frame);
            return;
        }
        if (rating == Desk.Rating.REFUSED) {
            refuse(p, ErrorCode.CONFLICT, "Rate a conversation of yours once it is closed, once, from 1 to 5", frame);
            return;
        }
        transcripts.append(id.get(), new Transcripts.Happened("rated", p.user, null, (int) score, comment, time.now()));
        events.rated(id.get(), p.user, (int) score, comment);
        replies.reply(p.connection, new Ack(frame.cid(), id.get()));
    }

}

package dev.switchboard.support;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.reply.Replies;
import dev.switchboard.support.DeskFrame.Ack;
import dev.switchboard.support.DeskViews.Participant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/** What only agents and supervisors do: set their status, accept an offer, take a waiting customer, transfer. */
@ApplicationScoped
public class AgentFrames {

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

    private void refuse(Participant p, ErrorCode code, String message, ClientFrame frame) {
        conversations.refuse(p, code, message, frame);
    }

    void status(Participant p, ClientFrame frame) {
        Optional<Desk.Status> status = frame.text("status").flatMap(AgentFrames::statusOf);
        if (status.isEmpty()) {
            refuse(p, ErrorCode.BAD_FIELD, "A status is 'available' or 'away'", frame);
            return;
        }
        DeskStore.Changed<List<Desk.Offer>> changed = store.change(desk -> desk.setStatus(p.user, status.get(), time.now()));
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

    void accept(Participant p, ClientFrame frame) {
        deskAction(p, frame, false, (desk, id) -> desk.accept(p.user, id, time.now(), time.zone()),
                "That conversation is not offered to you (any more)");
    }

    void take(Participant p, ClientFrame frame) {
        deskAction(p, frame, false, (desk, id) -> desk.take(p.user, id, time.now(), time.zone()),
                "Someone took it first, or you have no free seat");
    }

    void transfer(Participant p, ClientFrame frame) {
        String to = frame.text("to").filter(t -> !t.isBlank()).orElse(null);
        deskAction(p, frame, true, (desk, id) -> {
            boolean moved = desk.transfer(p.user, id, to, time.now());
            if (moved) {
                desk.assign(time.now()); // back in the queue: it may go to someone at once
            }
            return moved;
        }, "Transfer to an agent online with a free seat").ifPresent(id -> transcripts.append(id,
                new Transcripts.Happened("transferred", p.user, to, null, null, time.now())));
    }

    /**
     * Applies a desk action to the frame's conversation; the conversation's id when it was done. Refused
     * with {@code not_found} when the conversation is not open, {@code forbidden} when the action is for
     * its agent ({@code onlyTheirs}) and it is not the sender's, and {@code conflict} when the action
     * itself could not be done (someone moved first, no free seat).
     */
    private Optional<String> deskAction(Participant p, ClientFrame frame, boolean onlyTheirs,
            BiFunction<Desk, String, Boolean> action, String conflict) {
        Optional<String> id = conversations.conversationOf(p, frame);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        DeskStore.Changed<ErrorCode> done = store.change(desk -> {
            Desk.Conversation c = desk.conversations.get(id.get());
            if (c == null) {
                return ErrorCode.NOT_FOUND;
            }
            if (onlyTheirs && !p.user.equals(c.agent)) {
                return ErrorCode.FORBIDDEN;
            }
            return action.apply(desk, id.get()) ? null : ErrorCode.CONFLICT;
        });
        if (done.result() != null) {
            refuse(p, done.result(), switch (done.result()) {
                case NOT_FOUND -> ConversationFrames.NOT_OPEN;
                case FORBIDDEN -> ConversationFrames.NOT_YOURS;
                default -> conflict;
            }, frame);
            return Optional.empty();
        }
        replies.reply(p.connection, new Ack(frame.cid(), id.get()));
        views.show(done.after());
        return id;
    }

}

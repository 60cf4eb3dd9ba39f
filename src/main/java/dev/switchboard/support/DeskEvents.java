package dev.switchboard.support;

import dev.switchboard.webhooks.Webhooks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * What the desk tells the site's back end (webhooks): a message left (to email the team), a conversation
 * closed (with its transcript's path), a rating given, a customer waiting long. Each is told by the node
 * whose change of the desk won, so once.
 */
@ApplicationScoped
public class DeskEvents {

    /** Where an agent's token reads a transcript, on any node. */
    static String transcriptOf(String conversation) {
        return "/api/support/conversations/" + conversation;
    }

    /** {@code support.message_left}. */
    public record MessageLeft(String conversation, String customer, String name, String email, String department, String text,
            String transcript, String time) {
    }

    /** {@code support.conversation_closed}: {@code by} a user, or {@code desk} when the customer abandoned it. */
    public record ConversationClosed(String conversation, String customer, String name, String email, String department,
            String agent, String by, String queuedAt, String answeredAt, String closedAt, String transcript) {
    }

    /** {@code support.conversation_rated}. */
    public record ConversationRated(String conversation, String customer, int score, String comment, String transcript) {
    }

    /** {@code support.queue_waiting}. */
    public record QueueWaiting(String conversation, String customer, String name, String department, String queuedAt,
            long waitedSeconds) {
    }

    @Inject
    Webhooks webhooks;

    private static String time(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis).toString();
    }

    void messageLeft(Desk.Conversation c, String text, long now) {
        webhooks.emit("support.message_left", new MessageLeft(c.id, c.customer, c.customerName, c.email, c.department, text,
                transcriptOf(c.id), time(now)));
    }

    void closed(Desk.Closed done, String by) {
        webhooks.emit("support.conversation_closed", new ConversationClosed(done.id, done.customer, done.customerName,
                done.email, done.department, done.agent, by, time(done.queuedAt), time(done.answeredAt), time(done.closedAt),
                transcriptOf(done.id)));
    }

    void rated(String conversation, String customer, int score, String comment) {
        webhooks.emit("support.conversation_rated", new ConversationRated(conversation, customer, score, comment,
                transcriptOf(conversation)));
    }

    /** Whether waits are reported: the desk's round only looks for long waits then. */
    boolean reportsWaits() {
        return webhooks.wants("support.queue_waiting");
    }

    void waiting(Desk.Conversation c, long now) {
        webhooks.emit("support.queue_waiting", new QueueWaiting(c.id, c.customer, c.customerName, c.department,
                time(c.queuedAt), (now - c.queuedAt) / 1000));
    }
}

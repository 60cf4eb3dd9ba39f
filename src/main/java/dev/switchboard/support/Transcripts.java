package dev.switchboard.support;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import dev.switchboard.protocol.EnvelopeCodec;
import dev.switchboard.session.Connection;
import dev.switchboard.session.Frame;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.stream.Streams;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Every conversation's transcript is a log of its own ({@code conv:<id>}): messages from both sides
 * and what happened to it (offered, transferred, closed, rated), each with its offset, so both sides
 * recover after a reconnect and an agent it is transferred to reads it whole. Closed conversations
 * are listed in one more log, for agents to find them over HTTP. Both are kept while nobody listens,
 * for {@link Setting#SUPPORT_TRANSCRIPT_TTL}.
 */
@ApplicationScoped
public class Transcripts {

    static final String LOG_PREFIX = "conv:";
    /** The log listing closed conversations. */
    static final String CLOSED_LOG = "support:closed";
    /** Closed conversations the list keeps. */
    static final int CLOSED_LISTED = 10_000;

    /** A message of the conversation, from its customer or an agent. */
    public record Said(String type, String id, String from, String role, String name, String text, long ts) {
        Said(String id, String from, String role, String name, String text, long ts) {
            this("message", id, from, role, name, text, ts);
        }
    }

    /** Something that happened to the conversation: {@code offered}, {@code closed}, {@code rated}… */
    public record Happened(String type, String event, String by, String to, Integer score, String comment, long ts) {
        Happened(String event, String by, String to, Integer score, String comment, long ts) {
            this("event", event, by, to, score, comment, ts);
        }
    }

    /** A closed conversation as the list keeps it. */
    public record ClosedConversation(String conversation, String customer, String customerName, String email,
            String department, String agent, long queuedAt, long answeredAt, long closedAt) {
    }

    @Inject
    Logs logs;

    @Inject
    Streams streams;

    @Inject
    SessionRegistry registry;

    @Inject
    SwitchboardConfig config;

    private Logs.Retention retention;
    private Logs.Retention closedRetention;

    @PostConstruct
    void readSettings() {
        retention = new Logs.Retention(config.positiveInt(Setting.SUPPORT_TRANSCRIPT_SIZE),
                config.duration(Setting.SUPPORT_TRANSCRIPT_TTL), true);
        closedRetention = new Logs.Retention(CLOSED_LISTED, config.duration(Setting.SUPPORT_TRANSCRIPT_TTL), true);
    }

    static String logOf(String conversation) {
        return LOG_PREFIX + conversation;
    }

    /**
     * A transcript entry on the wire: the conversation and the offset, then the body's fields.
     * Conversation ids are the server's (hex), and the body is a JSON object this class wrote.
     */
    static String wire(Entry entry) {
        return "{\"conversation\":\"" + entry.log().substring(LOG_PREFIX.length()) + "\",\"offset\":" + entry.offset()
                + "," + entry.body().substring(1);
    }

    public CompletionStage<Entry> append(String conversation, Object line) {
        return logs.append(logOf(conversation), EnvelopeCodec.toJson(line), retention);
    }

    /** Lists a conversation that closed. */
    public CompletionStage<Entry> listClosed(ClosedConversation closed) {
        return logs.append(CLOSED_LOG, EnvelopeCodec.toJson(closed), closedRetention);
    }

    /** The closed conversations listed, oldest first. */
    public CompletionStage<Logs.Replay> closed() {
        return logs.read(CLOSED_LOG, null, null);
    }

    /** The whole kept transcript. */
    public CompletionStage<Logs.Replay> read(String conversation) {
        return logs.read(logOf(conversation), null, null);
    }

    /**
     * The connection follows the transcript from {@code since} in {@code epoch} (null: all of it that is
     * kept): a {@code transcript} frame with the place it starts from, then each entry once, in order.
     */
    public CompletionStage<Boolean> follow(Connection connection, String conversation, Long since, String epoch) {
        String log = logOf(conversation);
        if (!registry.subscribe(connection, log)) {
            return CompletableFuture.completedFuture(false);
        }
        return streams.follow(connection, log, since, epoch, Transcripts::wire,
                replay -> new Frame.Text(EnvelopeCodec.toJson(new TranscriptFrame("transcript", conversation,
                        replay.lastOffset(), replay.epoch(), since == null ? null : replay.recovered()))))
                .whenComplete((greeted, failure) -> {
                    if (failure != null) {
                        registry.unsubscribe(connection, log);
                    }
                });
    }

    /** The frame before a transcript's entries: where it stands, and whether the client's place was recovered. */
    public record TranscriptFrame(String type, String conversation, long lastOffset, String epoch, Boolean recovered) {
    }

    public void unfollow(Connection connection, String conversation) {
        registry.unsubscribe(connection, logOf(conversation));
        streams.unfollow(connection, logOf(conversation));
    }

    /** Whether the connection follows the conversation's transcript. */
    static boolean follows(Connection connection, String conversation) {
        return connection.topics().contains(logOf(conversation));
    }
}

package dev.switchboard.support;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.session.Connection;
import dev.switchboard.session.Frame;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.stream.Streams;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;
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

    /**
     * A transcript entry as the log keeps it (its body; the entry has the offset): a message or
     * something that happened, told apart by {@code type} as on the wire.
     */
    @JsonbTypeInfo(key = "type", value = {
        @JsonbSubtype(alias = "message", type = Said.class),
        @JsonbSubtype(alias = "event", type = Happened.class)})
    public sealed interface Line {
        /** The frame that shows this line of the conversation at its offset. */
        DeskFrame at(String conversation, long offset);
    }

    /** A message of the conversation, from its customer or an agent. */
    public record Said(String id, String from, String role, String name, String text, long ts) implements Line {
        @Override
        public DeskFrame at(String conversation, long offset) {
            return new DeskFrame.Message(conversation, offset, id, from, role, name, text, ts);
        }
    }

    /** Something that happened to the conversation: {@code transferred}, {@code closed}, {@code rated}… */
    public record Happened(String event, String by, String to, Integer score, String comment, long ts) implements Line {
        @Override
        public DeskFrame at(String conversation, long offset) {
            return new DeskFrame.Event(conversation, offset, event, by, to, score, comment, ts);
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

    /** A transcript entry's line, read back from its body. */
    static Line line(Entry entry) {
        return FrameCodec.fromJson(entry.body(), Line.class);
    }

    /** A transcript entry on the wire: its line, in its conversation at its offset (built once per entry on each node). */
    static String wire(Entry entry) {
        return FrameCodec.toJson(line(entry).at(entry.log().substring(LOG_PREFIX.length()), entry.offset()));
    }

    public CompletionStage<Entry> append(String conversation, Line line) {
        return logs.append(logOf(conversation), FrameCodec.toJson(line), retention);
    }

    /** Lists a conversation that closed. */
    public CompletionStage<Entry> listClosed(ClosedConversation closed) {
        return logs.append(CLOSED_LOG, FrameCodec.toJson(closed), closedRetention);
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
                replay -> new Frame.Encoded(new DeskFrame.Transcript(conversation, replay.lastOffset(), replay.epoch(),
                        since == null ? null : replay.recovered())))
                .whenComplete((greeted, failure) -> {
                    if (failure != null) {
                        registry.unsubscribe(connection, log);
                    }
                });
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

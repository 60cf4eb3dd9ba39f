package dev.switchboard.online;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.reply.Replies;
import dev.switchboard.security.Names;
import dev.switchboard.session.Connection;
import dev.switchboard.session.ConnectionClosed;
import dev.switchboard.session.Frame;
import dev.switchboard.stream.Streams;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chat connections that watch users, as Pusher's Watchlist does: a {@code watch} names up to
 * {@code switchboard.watch.max} users and is answered with their status; then each change of theirs
 * (decided by whichever node saw it, heard by every node on one signal topic) reaches the watchers here.
 * A connection's list goes with it.
 */
@ApplicationScoped
public class Watchers implements Streams.TopicListener {

    @Inject
    UserStatus status;

    @Inject
    Streams streams;

    @Inject
    Replies replies;

    @Inject
    SwitchboardConfig config;

    private int max;
    /** Who watches whom on this node, both ways. */
    private final Map<String, Set<Connection>> watchersOf = new ConcurrentHashMap<>();
    private final Map<Connection, List<String>> watchedBy = new ConcurrentHashMap<>();

    @PostConstruct
    void readSettings() {
        max = config.positiveInt(Setting.WATCH_MAX);
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        streams.hear(UserStatus.CHANGES, this);
    }

    /**
     * The connection watches these users from now on, instead of whom it watched before (an empty list:
     * nobody); answered with {@code watching} and their status now.
     */
    public void watch(Connection connection, List<String> users, String cid) {
        if (users == null) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.MISSING_FIELD, "A watch names 'users': a list of user names").withCid(cid));
            return;
        }
        List<String> wanted = List.copyOf(new LinkedHashSet<>(users));
        if (wanted.size() > max) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.TOO_MANY_WATCHED,
                    "A connection watches at most " + max + " users").withCid(cid));
            return;
        }
        if (!wanted.stream().allMatch(Names::isUser)) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.BAD_NAME,
                    "A user name is 1-32 letters, digits, '_', '-', '.'").withCid(cid));
            return;
        }
        if (!replies.withinRate(connection, null, cid)) {
            return;
        }
        unwatch(connection);
        if (connection.isClosed()) {
            return;
        }
        watchedBy.put(connection, wanted);
        for (String user : wanted) {
            watchersOf.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(connection);
        }
        if (connection.isClosed()) {
            unwatch(connection); // closed meanwhile: its clean-up may have run before the lists had it
            return;
        }
        replies.reply(connection, new StatusFrame.Watching(cid, wanted.stream().map(status::of).toList()));
    }

    private void unwatch(Connection connection) {
        List<String> before = watchedBy.remove(connection);
        if (before == null) {
            return;
        }
        for (String user : before) {
            watchersOf.computeIfPresent(user, (u, set) -> {
                set.remove(connection);
                return set.isEmpty() ? null : set;
            });
        }
    }

    void connectionClosed(@Observes ConnectionClosed closed) {
        unwatch(closed.connection());
    }

    /** A change of some user's status, from whichever node decided it. */
    @Override
    public void signal(String text) {
        UserStatus.Change change = FrameCodec.fromJson(text, UserStatus.Change.class);
        Set<Connection> watchers = watchersOf.get(change.user());
        if (watchers == null) {
            return;
        }
        Frame frame = written(change.online() ? new StatusFrame.Online(change.user())
                : new StatusFrame.Offline(change.user(), change.lastSeen()));
        for (Connection watcher : watchers) {
            watcher.send(frame);
        }
    }

    /** The link to other nodes came back: changes may have been missed, so each watcher is told each status now. */
    @Override
    public void mayHaveMissed() {
        for (Map.Entry<String, Set<Connection>> watched : watchersOf.entrySet()) {
            UserStatus.Status now = status.of(watched.getKey());
            Frame frame = written(now.online() ? new StatusFrame.Online(now.user()) : new StatusFrame.Offline(now.user(), now.lastSeen()));
            watched.getValue().forEach(watcher -> watcher.send(frame));
        }
    }

    /** A change as text, written once for all of its watchers here. */
    private static Frame written(StatusFrame frame) {
        return new Frame.Text(FrameCodec.toJson(frame));
    }
}

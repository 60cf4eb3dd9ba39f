package dev.switchboard.stream;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import dev.switchboard.session.Connection;
import dev.switchboard.session.ConnectionClosed;
import dev.switchboard.session.Frame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which connections of this node follow which logs, and where each one is in each. The node listens to
 * a log while a connection of its own follows it; every entry that arrives goes to each follower whose
 * position is just before it, so a follower gets every offset once and in order:
 * <ul>
 * <li>a joiner is held while the store is read (entries arriving meanwhile wait), then gets the read
 *     entries and the waiting ones past them;</li>
 * <li>an entry past a gap (pub/sub lost one) holds the follower while the gap is read from the store;</li>
 * <li>after the link to other nodes comes back, every follower catches up the same way;</li>
 * <li>every {@link Setting#POSITION_CHECK} the store's position of each followed log is read: a
 *     follower still behind the position read one check earlier lost an entry nothing came after
 *     (pub/sub lost the last one), and catches up the same way.</li>
 * </ul>
 * All of a log's bookkeeping happens under its monitor, and only queues frames; writes and store reads
 * happen after it.
 */
@ApplicationScoped
public class Streams implements Bus.Listener {

    private static final Logger LOG = Logger.getLogger(Streams.class.getName());
    /** How long a follower waits before a failed catch-up read is tried again. */
    static final long RETRY_MILLIS = 1000;

    @Inject
    Bus bus;

    @Inject
    Logs logs;

    @Inject
    ServerExecutors executors;

    @Inject
    SwitchboardConfig config;

    @Inject
    MeterRegistry meters;

    private Counter deliveries;
    private Counter catchUps;

    /** Each followed log's position in the store at the last check: the next check's yardstick. */
    private volatile Map<String, Logs.Position> headsAtLastCheck = Map.of();
    private ScheduledFuture<?> positionChecks;

    private final Map<String, Followed> followed = new ConcurrentHashMap<>();
    /** Topics a part of this node hears itself rather than through followers (never a followed log's). */
    private final Map<String, TopicListener> topicListeners = new ConcurrentHashMap<>();

    /** A part of this node that reacts to a topic's signals itself (a support desk that changed, say). */
    public interface TopicListener {

        /** A signal on the topic, from this node or another. */
        void signal(String text);

        /** The link to other nodes came back: signals may have been missed meanwhile. */
        void mayHaveMissed();
    }

    /**
     * This node hears the topic's signals itself, from every node, through {@code listener}; the topic is
     * only signalled, never appended to or followed. Completes once the node is listening.
     */
    public CompletionStage<Void> hear(String topic, TopicListener listener) {
        topicListeners.put(topic, listener);
        return bus.interested(topic);
    }

    /** A log this node listens to, with its followers here; guarded by its own monitor. */
    private static final class Followed {
        final String name;
        final Presentation shown;
        final Map<String, Follower> followers = new HashMap<>();
        CompletionStage<Void> heard;

        Followed(String name, Presentation shown) {
            this.name = name;
            this.shown = shown;
        }
    }

    /** One connection's place in a log: the last offset it has been given, in which epoch. */
    private static final class Follower {
        final Connection connection;
        long position = -1;
        String epoch;
        /** Entries that arrived while the store is being read for this follower; null while it is live. */
        List<Entry> held = new ArrayList<>();

        Follower(Connection connection) {
            this.connection = connection;
        }
    }

    /** What the work done under a log's monitor leaves to do after it: writes, and store reads to start. */
    private final class After implements Runnable {
        /** Connections with frames queued; one may appear twice (a catch-up and a live entry), and a second flush finds nothing. */
        final List<Connection> toFlush = new ArrayList<>();
        final List<Follower> toCatchUp = new ArrayList<>();
        final Followed log;
        /** The last entry some follower was given. */
        Entry reached;

        After(Followed log) {
            this.log = log;
        }

        @Override
        public void run() {
            for (Connection connection : toFlush) {
                connection.flush();
            }
            if (reached != null) {
                log.shown.reached(reached);
            }
            for (Follower follower : toCatchUp) {
                catchUp(log, follower);
            }
        }
    }

    @PostConstruct
    void listen() {
        deliveries = Counter.builder("switchboard.deliveries")
                .description("Log entries (room messages, whispers, desk messages) queued to following connections").register(meters);
        catchUps = Counter.builder("switchboard.catchups")
                .description("Reads of entries a follower missed (a gap, a lost publish, a store that was away)").register(meters);
        Gauge.builder("switchboard.logs.followed", followed, Map::size)
                .description("Logs (rooms, whisper logs, transcripts) followed by connections on this node").register(meters);
        bus.listen(this);
        long every = config.duration(Setting.POSITION_CHECK).toMillis();
        try {
            positionChecks = executors.every("Checking positions against the store", this::checkPositions, every, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            LOG.fine("Not checking positions: shutting down");
        }
    }

    @PreDestroy
    void stop() {
        if (positionChecks != null) {
            positionChecks.cancel(false);
        }
    }

    /**
     * Reads where the store has each followed log, and sends every live follower still behind where the
     * store was at the previous check (so not merely an entry on its way) to catch up.
     */
    void checkPositions() {
        List<String> names = List.copyOf(followed.keySet());
        if (names.isEmpty()) {
            headsAtLastCheck = Map.of();
            return;
        }
        logs.heads(names).whenComplete((heads, failure) -> {
            if (failure != null) {
                LOG.log(Level.FINE, "Checking positions failed: {0}", failure.toString());
                return;
            }
            Map<String, Logs.Position> earlier = headsAtLastCheck;
            headsAtLastCheck = heads;
            earlier.forEach(this::catchUpIfBehind);
        });
    }

    private void catchUpIfBehind(String name, Logs.Position storeWas) {
        Followed log = followed.get(name);
        if (log == null) {
            return;
        }
        After after = new After(log);
        synchronized (log) {
            for (Follower follower : log.followers.values()) {
                boolean behind = storeWas.epoch().equals(follower.epoch) ? follower.position < storeWas.offset()
                        : follower.epoch != null;
                if (follower.held == null && behind) {
                    follower.held = new ArrayList<>();
                    after.toCatchUp.add(follower);
                }
            }
        }
        if (!after.toCatchUp.isEmpty()) {
            LOG.log(Level.WARNING, "{0} follower(s) of {1} had not heard up to offset {2} the store had a check ago: "
                    + "reading it back (pub/sub lost a message)", new Object[] {after.toCatchUp.size(), name, storeWas.offset()});
        }
        after.run();
    }

    /**
     * The connection follows the log from {@code since} (null: from its recent entries) in {@code epoch}.
     * Once the store is read, it gets the greeting made from what was read, the entries read, then every
     * later entry as it comes. Completes with true when the greeting is queued, false if the connection
     * stopped following meanwhile (it closed or left), or fails if the store could not be read (the
     * connection then does not follow the log).
     *
     * @param shown how the log's entries are shown, the same for every follower of the log
     */
    public CompletionStage<Boolean> follow(Connection connection, String log, Long since, String epoch,
            Presentation shown, Function<Logs.Replay, Frame> greeting) {
        return follow(connection, log, since, epoch, shown, greeting, 0);
    }

    /**
     * As {@link #follow(Connection, String, Long, String, Presentation, Function)}, but a follower that does
     * not recover (it gave no {@code since}, or the log no longer holds what it missed) is given only the
     * log's last {@code freshReplay} entries (0: all it keeps); the older ones stay for whoever asks.
     */
    public CompletionStage<Boolean> follow(Connection connection, String log, Long since, String epoch,
            Presentation shown, Function<Logs.Replay, Frame> greeting, int freshReplay) {
        Follower follower = new Follower(connection);
        Followed followedLog = followed.compute(log, (name, current) -> {
            Followed f = current != null ? current : new Followed(name, shown);
            if (current == null) {
                f.heard = bus.interested(name); // under the map's lock for the name: in order with giving it up
            }
            synchronized (f) {
                f.followers.put(connection.id(), follower);
            }
            return f;
        });
        if (connection.isClosed()) {
            // Its cleanup may have run before it followed: undo here.
            unfollow(connection, log);
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> greeted = new CompletableFuture<>();
        followedLog.heard.thenCompose(heard -> logs.read(log, since, epoch)).whenComplete((read, failure) -> {
            if (failure != null) {
                unfollow(connection, log);
                greeted.completeExceptionally(failure);
                return;
            }
            Logs.Replay replay = recentOnly(read, freshReplay);
            After after = new After(followedLog);
            synchronized (followedLog) {
                if (followedLog.followers.get(connection.id()) != follower) {
                    greeted.complete(false);
                    return;
                }
                connection.queue(greeting.apply(replay));
                caughtUp(followedLog, follower, replay, after);
                if (since != null) {
                    recovered(replay.recovered());
                }
            }
            after.run();
            greeted.complete(true);
        });
        return greeted;
    }

    /** A replay that does not recover cut to its last {@code limit} entries (0: as it is). */
    private static Logs.Replay recentOnly(Logs.Replay replay, int limit) {
        List<Entry> entries = replay.entries();
        if (limit <= 0 || replay.recovered() || entries.size() <= limit) {
            return replay;
        }
        return new Logs.Replay(entries.subList(entries.size() - limit, entries.size()), false, replay.lastOffset(), replay.epoch());
    }

    /**
     * How far the connection has been given the log it follows: the last offset, in which epoch; empty when
     * it does not follow the log here, or has been given nothing of it yet.
     */
    public Optional<Logs.Position> given(Connection connection, String log) {
        Followed f = followed.get(log);
        if (f == null) {
            return Optional.empty();
        }
        synchronized (f) {
            Follower follower = f.followers.get(connection.id());
            return follower == null || follower.epoch == null ? Optional.empty()
                    : Optional.of(new Logs.Position(follower.position, follower.epoch));
        }
    }

    /** The connection stops following the log; the node stops listening to it once nobody here does. */
    public void unfollow(Connection connection, String log) {
        followed.computeIfPresent(log, (name, f) -> {
            synchronized (f) {
                f.followers.remove(connection.id());
                if (!f.followers.isEmpty()) {
                    return f;
                }
            }
            bus.uninterested(name);
            return null;
        });
    }

    /** A connection went: it follows nothing any more. */
    void connectionClosed(@Observes ConnectionClosed closed) {
        for (String topic : closed.topics()) {
            unfollow(closed.connection(), topic);
        }
    }

    @Override
    public Runnable entry(Entry entry) {
        Followed log = followed.get(entry.log());
        if (log == null) {
            return () -> { };
        }
        Frame frame = new Frame.Text(log.shown.wire(entry)); // written once, sent to every follower here
        After after = new After(log);
        synchronized (log) {
            for (Follower follower : log.followers.values()) {
                offer(follower, entry, frame, after);
            }
        }
        deliveries.increment(after.toFlush.size());
        return after;
    }

    @Override
    public void signal(String topic, String text, String exceptConnectionId) {
        TopicListener listener = topicListeners.get(topic);
        if (listener != null) {
            listener.signal(text);
            return;
        }
        Followed log = followed.get(topic);
        if (log == null) {
            return;
        }
        Frame frame = new Frame.Text(text);
        Set<Connection> toFlush = new LinkedHashSet<>();
        synchronized (log) {
            for (Follower follower : log.followers.values()) {
                if (!follower.connection.id().equals(exceptConnectionId) && follower.connection.queue(frame)) {
                    toFlush.add(follower.connection);
                }
            }
        }
        toFlush.forEach(Connection::flush);
    }

    @Override
    public void reconnected() {
        topicListeners.values().forEach(TopicListener::mayHaveMissed);
        for (Followed log : followed.values()) {
            After after = new After(log);
            synchronized (log) {
                for (Follower follower : log.followers.values()) {
                    if (follower.held == null) {
                        follower.held = new ArrayList<>();
                        after.toCatchUp.add(follower);
                    }
                }
            }
            after.run();
        }
    }

    /** Gives the follower the entry if it is the next one; holds it (and reads the gap) if some are missing. */
    private static void offer(Follower follower, Entry entry, Frame frame, After after) {
        if (follower.held != null) {
            follower.held.add(entry);
            return;
        }
        if (!entry.epoch().equals(follower.epoch)) {
            // The log started anew (its history was lost): its offsets restart, so follow from here.
            follower.epoch = entry.epoch();
            follower.position = entry.offset() - 1;
        }
        if (entry.offset() <= follower.position) {
            return; // had it (read from the store while it also came live)
        }
        if (entry.offset() > follower.position + 1) {
            follower.held = new ArrayList<>(List.of(entry));
            after.toCatchUp.add(follower);
            return;
        }
        follower.position = entry.offset();
        after.reached = entry;
        if (follower.connection.queue(frame)) {
            after.toFlush.add(follower.connection);
        }
    }

    /** The store was read for the follower: it gets what it lacked, then what waited, and is live again (or held anew). */
    private static void caughtUp(Followed log, Follower follower, Logs.Replay replay, After after) {
        for (Entry entry : replay.entries()) {
            if (!replay.epoch().equals(follower.epoch) || entry.offset() > follower.position) {
                follower.connection.queue(new Frame.Text(log.shown.wire(entry)));
                after.reached = entry;
            }
        }
        after.toFlush.add(follower.connection);
        follower.position = replay.lastOffset();
        follower.epoch = replay.epoch();
        List<Entry> waited = follower.held;
        follower.held = null;
        for (Entry entry : waited) {
            offer(follower, entry, new Frame.Text(log.shown.wire(entry)), after);
        }
    }

    /** Reads what the follower missed from the store; tried again a second later while the store fails. */
    private void catchUp(Followed log, Follower follower) {
        catchUps.increment();
        logs.read(log.name, follower.position, follower.epoch).whenComplete((replay, failure) -> {
            After after = new After(log);
            synchronized (log) {
                if (log.followers.get(follower.connection.id()) != follower) {
                    return;
                }
                if (failure != null) {
                    LOG.log(Level.WARNING, "Reading log {0} to catch up failed ({1}); trying again",
                            new Object[] {log.name, failure.toString()});
                    retryLater(log, follower);
                    return;
                }
                caughtUp(log, follower, replay, after);
            }
            after.run();
        });
    }

    /** A client resumed from an offset: with nothing missed, or told its history was lost. */
    private void recovered(boolean whole) {
        meters.counter("switchboard.recoveries", "outcome", whole ? "recovered" : "lost").increment();
    }

    private void retryLater(Followed log, Follower follower) {
        try {
            executors.later(() -> catchUp(log, follower), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            LOG.fine("Not retrying a catch-up: shutting down");
        }
    }
}

package dev.switchboard.engine.memory;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs and the bus in this JVM, where they are one thing: an entry is handed to the listener as it is
 * kept, under its log's lock, so the log's order is the order every connection sees.
 *
 * <p>Per log, what its {@link Retention} says; in all, at most {@code switchboard.history.max-rooms}
 * logs and {@code switchboard.history.max-bytes}. Past either, the logs nobody here is interested in
 * lose their entries, those given up longest ago first (a later reader gets a new epoch, so clients
 * know to start afresh); past the bytes with no such log left, the log being written to loses its
 * oldest entries. A log somebody listens to is never dropped, so its offsets never restart under a
 * reader's feet. Logs kept while idle (whispers for users who are away) are never dropped either;
 * they keep at most {@code switchboard.inbox.max-total} entries together, and an append to one that
 * nobody listens to past that is refused ({@link LogsFull}).
 */
public class InMemoryLogs implements Logs, Bus {

    /** Heap a kept entry takes besides its body (the records, the log's name and epoch), roughly. */
    static final long ENTRY_OVERHEAD_BYTES = 200;
    private static final Runnable NOTHING = () -> { };

    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private int maxLogs;
    private long maxBytes;
    private int maxKeptWhileIdle;
    private volatile Listener listener;
    private final Map<String, Log> logs = new ConcurrentHashMap<>();
    /** Guards {@link #idle} and changes to {@link #heard}, and the making and dropping of logs. */
    private final Object interestLock = new Object();
    /** Logs with entries that nobody listens to, in the order they were given up: the first is dropped first. */
    private final LinkedHashMap<String, Log> idle = new LinkedHashMap<>();
    /** Topics this node is interested in, logs or not; read without the lock, changed under it. */
    private final Set<String> heard = ConcurrentHashMap.newKeySet();
    /** Heap the kept entries take, in all logs. */
    private final AtomicLong bytes = new AtomicLong();
    /** Entries in logs kept while idle; changed under each log's lock. */
    private final AtomicInteger keptWhileIdle = new AtomicInteger();
    /** When that is full, expired entries of such logs are swept out, at most once a second. */
    private final AtomicLong lastSweepMillis = new AtomicLong();

    /** Logs reading these settings, on this clock (a fixed one in unit tests). */
    public static InMemoryLogs create(SwitchboardConfig config, Clock clock) {
        InMemoryLogs logs = new InMemoryLogs();
        logs.config = config;
        logs.clock = clock;
        logs.readSettings();
        return logs;
    }

    void readSettings() {
        maxKeptWhileIdle = config.positiveInt(Setting.INBOX_MAX_TOTAL);
        maxLogs = config.positiveInt(Setting.HISTORY_MAX_ROOMS);
        maxBytes = config.positiveLong(Setting.HISTORY_MAX_BYTES);
    }

    /** Heap one kept entry takes: its body (two bytes a character at most) and the rest. */
    static long weight(Entry entry) {
        return 2L * entry.body().length() + ENTRY_OVERHEAD_BYTES;
    }

    private record Kept(Entry entry, long atMillis) {
    }

    /** One log; its own monitor orders appends, reads and its dropping. */
    private final class Log {
        final String epoch = UUID.randomUUID().toString().substring(0, 8);
        long lastOffset;
        /** How far its entries have reached a reader. */
        long delivered;
        final Deque<Kept> kept = new ArrayDeque<>();
        /** As its last append said; null until the first. */
        Retention retention;
        /** Out of the map: whoever still holds it must look the log up again. */
        boolean dropped;

        boolean keptWhileIdle() {
            return retention != null && retention.keptWhileIdle();
        }

        void add(Kept entry) {
            kept.addLast(entry);
            bytes.addAndGet(weight(entry.entry()));
            if (keptWhileIdle()) {
                keptWhileIdle.incrementAndGet();
            }
        }

        /** Puts {@code next} where {@code current} is, counting the bytes anew. */
        void replace(Kept current, Kept next) {
            List<Kept> all = new ArrayList<>(kept);
            all.set(all.indexOf(current), next);
            kept.clear();
            kept.addAll(all);
            bytes.addAndGet(weight(next.entry()) - weight(current.entry()));
        }

        void removeOldest() {
            bytes.addAndGet(-weight(kept.removeFirst().entry()));
            if (keptWhileIdle()) {
                keptWhileIdle.decrementAndGet();
            }
        }

        /** Drops what is past the log's length or age. */
        void trim() {
            if (retention == null) {
                return;
            }
            long oldestKept = clock.millis() - retention.ttl().toMillis();
            while (!kept.isEmpty() && (kept.size() > retention.size() || kept.peekFirst().atMillis() < oldestKept)) {
                removeOldest();
            }
        }

        void drop() {
            while (!kept.isEmpty()) {
                removeOldest();
            }
            dropped = true;
        }
    }

    @Override
    public void listen(Listener listener) {
        this.listener = listener;
    }

    @Override
    public CompletionStage<Void> interested(String topic) {
        synchronized (interestLock) {
            heard.add(topic);
            idle.remove(topic);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void uninterested(String topic) {
        synchronized (interestLock) {
            heard.remove(topic);
            Log log = logs.get(topic);
            if (log != null && !log.keptWhileIdle()) {
                idle.put(topic, log);
            }
        }
    }

    private boolean isHeard(String topic) {
        return heard.contains(topic);
    }

    @Override
    public void signal(String topic, String text, String exceptConnectionId) {
        Listener l = listener;
        if (l != null && isHeard(topic)) {
            l.signal(topic, text, exceptConnectionId);
        }
    }

    /** The log, made if needed (and idle if nobody listens to it). */
    private Log use(String name) {
        Log log = logs.get(name);
        if (log != null) {
            return log;
        }
        synchronized (interestLock) {
            return logs.computeIfAbsent(name, k -> {
                Log made = new Log();
                if (!heard.contains(k)) {
                    idle.put(k, made);
                }
                return made;
            });
        }
    }

    @Override
    public CompletionStage<Entry> append(String name, String body, Retention retention) {
        if (retention.keptWhileIdle() && !isHeard(name) && !roomForOneKeptWhileIdle()) {
            return CompletableFuture.failedFuture(new LogsFull("The server keeps " + maxKeptWhileIdle
                    + " entries for readers who are away already"));
        }
        while (true) {
            Log log = use(name);
            Appended appended;
            synchronized (log) {
                if (log.dropped) {
                    continue;
                }
                if (log.retention == null || log.retention.keptWhileIdle() != retention.keptWhileIdle()) {
                    keepWhileIdle(name, log, retention);
                }
                appended = appendLocked(name, log, body, retention);
            }
            return written(log, appended);
        }
    }

    /** An entry appended under its log's lock, and the writes to run once out of it. */
    private record Appended(Entry entry, Runnable writes) {
    }

    /** Appends under the log's lock: the next offset, kept and trimmed, queued for this node's followers in offset order. */
    private Appended appendLocked(String name, Log log, String body, Retention retention) {
        log.retention = retention;
        Entry entry = new Entry(name, ++log.lastOffset, log.epoch, body);
        log.add(new Kept(entry, clock.millis()));
        log.trim();
        Listener l = listener;
        // Queued under the log's lock, in offset order; written after it, the costly part.
        return new Appended(entry, l != null && isHeard(name) ? l.entry(entry) : NOTHING);
    }

    /** Out of the log's lock: the writes run, the engine shrinks if it is over its size. */
    private CompletionStage<Entry> written(Log log, Appended appended) {
        appended.writes().run();
        shrinkIfOver(log);
        return CompletableFuture.completedFuture(appended.entry());
    }

    @Override
    public CompletionStage<Entry> amend(String name, long offset, String epoch, String expectedBody, String keptBody, String body,
            Retention retention) {
        Log log = logs.get(name);
        if (log == null) {
            return CompletableFuture.failedFuture(new NotKept(name + " keeps nothing"));
        }
        Appended appended;
        synchronized (log) {
            try {
                replaceKept(name, log, offset, epoch, expectedBody, keptBody);
            } catch (NotKept | Changed e) {
                return CompletableFuture.failedFuture(e);
            }
            appended = appendLocked(name, log, body, retention);
        }
        return written(log, appended);
    }

    @Override
    public CompletionStage<Void> rewrite(String name, long offset, String epoch, String expectedBody, String keptBody) {
        Log log = logs.get(name);
        if (log == null) {
            return CompletableFuture.failedFuture(new NotKept(name + " keeps nothing"));
        }
        synchronized (log) {
            try {
                replaceKept(name, log, offset, epoch, expectedBody, keptBody);
            } catch (NotKept | Changed e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Under the log's monitor: the entry at {@code offset}, still kept and (when expected) of that body, gets {@code keptBody}. */
    private void replaceKept(String name, Log log, long offset, String epoch, String expectedBody, String keptBody) {
        Kept kept = null;
        for (Kept k : log.kept) {
            if (k.entry().offset() == offset) {
                kept = k;
            }
        }
        boolean tooOld = kept != null && log.retention != null
                && kept.atMillis() < clock.millis() - log.retention.ttl().toMillis();
        if (log.dropped || kept == null || tooOld || epoch != null && !epoch.equals(log.epoch)) {
            throw new NotKept(name + " keeps no entry " + offset);
        }
        if (expectedBody != null && !expectedBody.equals(kept.entry().body())) {
            throw new Changed(name + " entry " + offset + " changed meanwhile");
        }
        log.replace(kept, new Kept(new Entry(name, offset, log.epoch, keptBody), kept.atMillis()));
    }

    /** A log kept while idle is no candidate for dropping; its entries so far count as kept while idle. */
    private void keepWhileIdle(String name, Log log, Retention retention) {
        if (log.keptWhileIdle()) {
            keptWhileIdle.addAndGet(-log.kept.size());
        }
        if (retention.keptWhileIdle()) {
            keptWhileIdle.addAndGet(log.kept.size());
        }
        synchronized (interestLock) {
            if (retention.keptWhileIdle()) {
                idle.remove(name);
            } else if (!heard.contains(name)) {
                idle.put(name, log);
            }
        }
    }

    /** Whether one more entry fits among those kept while idle, sweeping out expired ones (once a second) if not. */
    private boolean roomForOneKeptWhileIdle() {
        if (keptWhileIdle.get() < maxKeptWhileIdle) {
            return true;
        }
        long now = clock.millis();
        long last = lastSweepMillis.get();
        if (now - last >= 1000 && lastSweepMillis.compareAndSet(last, now)) {
            for (Map.Entry<String, Log> named : logs.entrySet()) {
                Log log = named.getValue();
                boolean empty;
                synchronized (log) {
                    if (!log.keptWhileIdle() || log.dropped) {
                        continue;
                    }
                    log.trim();
                    empty = log.kept.isEmpty();
                }
                if (empty && !isHeard(named.getKey())) {
                    forgetEmpty(named.getKey(), log);
                }
            }
        }
        return keptWhileIdle.get() < maxKeptWhileIdle;
    }

    /** A log kept while idle whose entries all expired, and that nobody listens to, goes (a later one starts a new epoch). */
    private void forgetEmpty(String name, Log log) {
        synchronized (log) { // then the interest lock, as appends take them
            synchronized (interestLock) {
                if (log.kept.isEmpty() && !heard.contains(name)) {
                    log.dropped = true;
                    logs.remove(name, log);
                }
            }
        }
    }

    @Override
    public CompletionStage<Replay> read(String name, Long since, String epoch) {
        while (true) {
            Log log = use(name);
            Replay replay;
            synchronized (log) {
                if (log.dropped) {
                    continue;
                }
                replay = replayOf(log, since, epoch);
            }
            shrinkIfOver(null);
            return CompletableFuture.completedFuture(replay);
        }
    }

    private Replay replayOf(Log log, Long since, String epoch) {
        log.trim();
        long firstKept = log.kept.isEmpty() ? log.lastOffset + 1 : log.kept.peekFirst().entry().offset();
        boolean sameEpoch = epoch == null || epoch.equals(log.epoch);
        boolean recovered = since != null && sameEpoch && since >= firstKept - 1 && since <= log.lastOffset;
        List<Entry> entries = new ArrayList<>(log.kept.size());
        for (Kept kept : log.kept) {
            if (!recovered || kept.entry().offset() > since) {
                entries.add(kept.entry());
            }
        }
        return new Replay(entries, recovered, log.lastOffset, log.epoch);
    }

    @Override
    public CompletionStage<Map<String, Position>> heads(Collection<String> names) {
        Map<String, Position> heads = new HashMap<>();
        for (String name : names) {
            Log log = logs.get(name);
            if (log != null) {
                synchronized (log) {
                    heads.put(name, new Position(log.lastOffset, log.epoch));
                }
            }
        }
        return CompletableFuture.completedFuture(heads);
    }

    @Override
    public CompletionStage<Position> delivered(String name) {
        Log log = logs.get(name);
        if (log == null) {
            return CompletableFuture.completedFuture(new Position(0, null));
        }
        synchronized (log) {
            return CompletableFuture.completedFuture(new Position(log.delivered, log.epoch));
        }
    }

    @Override
    public void markDelivered(String name, Position reached) {
        Log log = logs.get(name);
        if (log == null) {
            return;
        }
        synchronized (log) {
            if (log.epoch.equals(reached.epoch()) && reached.offset() > log.delivered) {
                log.delivered = Math.min(reached.offset(), log.lastOffset);
            }
        }
    }

    /** Logs whose entries are kept (for tests and, later, metrics). */
    public int logCount() {
        return logs.size();
    }

    /** Heap the kept entries take, in all logs. */
    public long bytes() {
        return bytes.get();
    }

    /**
     * Past a bound: drops idle logs, those given up longest ago first; then, for bytes, the oldest
     * entries of the log just written to (all the others are in use), keeping its newest.
     */
    private void shrinkIfOver(Log writtenTo) {
        while (logs.size() > maxLogs || bytes.get() > maxBytes) {
            Log dropped = takeLongestIdle();
            if (dropped == null) {
                break;
            }
            synchronized (dropped) {
                dropped.drop();
            }
        }
        if (writtenTo != null && bytes.get() > maxBytes) {
            synchronized (writtenTo) {
                while (writtenTo.kept.size() > 1 && bytes.get() > maxBytes) {
                    writtenTo.removeOldest();
                }
            }
        }
    }

    /**
     * Takes out of the map the log given up longest ago. Interest is declared (under the same lock)
     * before a reader looks the log up, so no reader is handed a log being dropped.
     */
    private Log takeLongestIdle() {
        synchronized (interestLock) {
            Iterator<Map.Entry<String, Log>> eldest = idle.entrySet().iterator();
            if (!eldest.hasNext()) {
                return null;
            }
            Map.Entry<String, Log> entry = eldest.next();
            eldest.remove();
            logs.remove(entry.getKey(), entry.getValue());
            return entry.getValue();
        }
    }
}

package dev.switchboard.engine.memory;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.ChatMessage;
import dev.switchboard.engine.Inbox;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Offline whispers in this JVM: per user, the last N younger than the retention time. */
@ApplicationScoped
public class InMemoryInbox implements Inbox {

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private int size;
    private long ttlMillis;
    private int maxTotal;
    private final Map<String, Deque<ChatMessage>> inboxes = new ConcurrentHashMap<>();
    /** Whispers kept in all inboxes; changed only under the key's lock in compute, with the box. */
    private final AtomicInteger total = new AtomicInteger();
    /** When full, expired whispers of users who never came back are swept out, at most once a second. */
    private final AtomicLong lastSweepMillis = new AtomicLong();

    /** An inbox outside the container, for other packages' unit tests. */
    public static InMemoryInbox forTests(SwitchboardConfig config, Clock clock) {
        InMemoryInbox inbox = new InMemoryInbox();
        inbox.config = config;
        inbox.clock = clock;
        inbox.readSettings();
        return inbox;
    }

    @PostConstruct
    void readSettings() {
        size = config.positiveInt(Setting.INBOX_SIZE);
        ttlMillis = config.duration(Setting.INBOX_TTL).toMillis();
        maxTotal = config.positiveInt(Setting.INBOX_MAX_TOTAL);
    }

    @Override
    public boolean keep(ChatMessage whisper) {
        if (!reserveOne()) {
            return false;
        }
        inboxes.compute(whisper.to(), (user, kept) -> {
            Deque<ChatMessage> box = kept == null ? new ArrayDeque<>() : kept;
            box.addLast(whisper); // counted by reserveOne
            trim(box);
            return box.isEmpty() ? null : box;
        });
        return true;
    }

    /** Counts one more whisper in, unless that would pass the total (whispers together cannot overshoot it). */
    private boolean reserveOne() {
        while (true) {
            int kept = total.get();
            if (kept >= maxTotal && sweepExpired() >= maxTotal) {
                return false;
            }
            if (kept < maxTotal && total.compareAndSet(kept, kept + 1)) {
                return true;
            }
        }
    }

    /** Drops what is over the per-user count or past its age, keeping the total in step. */
    private void trim(Deque<ChatMessage> box) {
        long oldestKept = clock.millis() - ttlMillis;
        while (!box.isEmpty() && (box.size() > size || box.peekFirst().ts() < oldestKept)) {
            box.removeFirst();
            total.decrementAndGet();
        }
    }

    private int sweepExpired() {
        long now = clock.millis();
        long last = lastSweepMillis.get();
        if (now - last >= 1000 && lastSweepMillis.compareAndSet(last, now)) {
            for (String user : inboxes.keySet()) {
                inboxes.computeIfPresent(user, (u, box) -> {
                    trim(box);
                    return box.isEmpty() ? null : box;
                });
            }
        }
        return total.get();
    }

    @Override
    public boolean holdsFor(String user) {
        boolean[] holds = {false};
        inboxes.computeIfPresent(user, (u, box) -> { // read as keep writes: under the key's lock
            holds[0] = !box.isEmpty() && box.peekLast().ts() >= clock.millis() - ttlMillis;
            return box;
        });
        return holds[0];
    }

    @Override
    public List<ChatMessage> takeAll(String user) {
        List<ChatMessage> taken = new ArrayList<>();
        inboxes.computeIfPresent(user, (u, box) -> {
            taken.addAll(box);
            total.addAndGet(-box.size());
            return null;
        });
        if (taken.isEmpty()) {
            return List.of();
        }
        long oldestKept = clock.millis() - ttlMillis;
        return taken.stream().filter(m -> m.ts() >= oldestKept).toList();
    }
}

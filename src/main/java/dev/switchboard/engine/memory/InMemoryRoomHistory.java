package dev.switchboard.engine.memory;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.ChatMessage;
import dev.switchboard.engine.RoomHistory;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Room history in this JVM: per room, the last N messages younger than the retention time. */
@ApplicationScoped
public class InMemoryRoomHistory implements RoomHistory {

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private int size;
    private long ttlMillis;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

    @PostConstruct
    void readSettings() {
        size = config.positiveInt(Setting.HISTORY_SIZE);
        ttlMillis = config.duration(Setting.HISTORY_TTL).toMillis();
    }

    /** One room's log; its own monitor orders appends and reads. */
    private static final class Room {
        final String epoch = UUID.randomUUID().toString().substring(0, 8);
        long lastOffset;
        final Deque<ChatMessage> kept = new ArrayDeque<>();

        void dropOlderThan(long oldestKept) {
            while (!kept.isEmpty() && kept.peekFirst().ts() < oldestKept) {
                kept.removeFirst();
            }
        }
    }

    @Override
    public ChatMessage append(String room, String id, String from, String text, long ts) {
        Room r = rooms.computeIfAbsent(room, k -> new Room());
        synchronized (r) {
            ChatMessage message = new ChatMessage(id, room, ++r.lastOffset, from, null, text, ts);
            r.kept.addLast(message);
            while (r.kept.size() > size) {
                r.kept.removeFirst();
            }
            r.dropOlderThan(clock.millis() - ttlMillis);
            return message;
        }
    }

    @Override
    public Replay replay(String room, Long since, String epoch) {
        Room r = rooms.computeIfAbsent(room, k -> new Room());
        synchronized (r) {
            r.dropOlderThan(clock.millis() - ttlMillis);
            long firstKept = r.kept.isEmpty() ? r.lastOffset + 1 : r.kept.peekFirst().offset();
            boolean sameEpoch = epoch == null || epoch.equals(r.epoch);
            if (since != null && sameEpoch && since >= firstKept - 1 && since <= r.lastOffset) {
                List<ChatMessage> missed = new ArrayList<>();
                for (ChatMessage m : r.kept) {
                    if (m.offset() > since) {
                        missed.add(m);
                    }
                }
                return new Replay(missed, true, r.lastOffset, r.epoch);
            }
            return new Replay(List.copyOf(r.kept), false, r.lastOffset, r.epoch);
        }
    }
}

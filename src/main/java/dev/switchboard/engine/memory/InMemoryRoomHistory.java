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
        long lastOffset;
        final Deque<ChatMessage> kept = new ArrayDeque<>();
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
            return message;
        }
    }

    @Override
    public Replay replay(String room, Long since) {
        Room r = rooms.get(room);
        if (r == null) {
            // A room with no history: only a client that had seen nothing has missed nothing.
            return new Replay(List.of(), since != null && since == 0, 0);
        }
        synchronized (r) {
            long oldestKept = clock.millis() - ttlMillis;
            while (!r.kept.isEmpty() && r.kept.peekFirst().ts() < oldestKept) {
                r.kept.removeFirst();
            }
            long firstKept = r.kept.isEmpty() ? r.lastOffset + 1 : r.kept.peekFirst().offset();
            if (since != null && since >= firstKept - 1 && since <= r.lastOffset) {
                List<ChatMessage> missed = new ArrayList<>();
                for (ChatMessage m : r.kept) {
                    if (m.offset() > since) {
                        missed.add(m);
                    }
                }
                return new Replay(missed, true, r.lastOffset);
            }
            return new Replay(List.copyOf(r.kept), false, r.lastOffset);
        }
    }
}

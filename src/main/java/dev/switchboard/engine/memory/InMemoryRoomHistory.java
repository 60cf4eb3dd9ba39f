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
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Room history in this JVM: per room, the last N messages younger than the retention time; in all,
 * at most {@code switchboard.history.max-rooms} rooms and {@code switchboard.history.max-bytes}. Past
 * either, the rooms nobody is in lose their history, those left longest ago first (a later join gets
 * a new epoch, so clients know to start afresh); past the bytes with no such room left, the room being
 * written to loses its oldest messages. A room somebody is in is never dropped, so its offsets never
 * restart under a member's feet; presence says which rooms those are ({@link RoomOccupancy}).
 */
@ApplicationScoped
public class InMemoryRoomHistory implements RoomHistory, RoomOccupancy {

    /** Heap a kept message takes besides its text (the record, its id, names and offsets), roughly. */
    static final long MESSAGE_OVERHEAD_BYTES = 200;

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private int size;
    private long ttlMillis;
    private int maxRooms;
    private long maxBytes;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    /** Guards {@link #idle} and {@link #occupied}, and the making and dropping of rooms. */
    private final Object occupancyLock = new Object();
    /** Rooms with history that nobody is in, in the order they were left: the first is dropped first. */
    private final LinkedHashMap<String, Room> idle = new LinkedHashMap<>();
    /** Rooms somebody is in, whether or not they have history yet. */
    private final Set<String> occupied = new HashSet<>();
    /** Heap the kept messages take, in all rooms. */
    private final AtomicLong bytes = new AtomicLong();

    @PostConstruct
    void readSettings() {
        size = config.positiveInt(Setting.HISTORY_SIZE);
        ttlMillis = config.duration(Setting.HISTORY_TTL).toMillis();
        maxRooms = config.positiveInt(Setting.HISTORY_MAX_ROOMS);
        maxBytes = config.positiveLong(Setting.HISTORY_MAX_BYTES);
    }

    /** Heap one kept message takes: its text (two bytes a character at most) and the rest. */
    static long weight(ChatMessage message) {
        return 2L * message.text().length() + MESSAGE_OVERHEAD_BYTES;
    }

    /** One room's log; its own monitor orders appends, reads and its dropping. */
    private final class Room {
        final String epoch = UUID.randomUUID().toString().substring(0, 8);
        long lastOffset;
        final Deque<ChatMessage> kept = new ArrayDeque<>();
        /** Out of the map: whoever still holds it must look the room up again. */
        boolean dropped;

        void add(ChatMessage message) {
            kept.addLast(message);
            bytes.addAndGet(weight(message));
        }

        void removeOldest() {
            bytes.addAndGet(-weight(kept.removeFirst()));
        }

        void dropOlderThan(long oldestKept) {
            while (!kept.isEmpty() && kept.peekFirst().ts() < oldestKept) {
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
    public void occupied(String room) {
        synchronized (occupancyLock) {
            occupied.add(room);
            idle.remove(room);
        }
    }

    @Override
    public void vacated(String room) {
        synchronized (occupancyLock) {
            occupied.remove(room);
            Room r = rooms.get(room);
            if (r != null) {
                idle.put(room, r);
            }
        }
    }

    /** The room's log, made if needed (and idle if nobody is in it). */
    private Room use(String name) {
        Room r = rooms.get(name);
        if (r != null) {
            return r;
        }
        synchronized (occupancyLock) {
            return rooms.computeIfAbsent(name, k -> {
                Room made = new Room();
                if (!occupied.contains(k)) {
                    idle.put(k, made);
                }
                return made;
            });
        }
    }

    @Override
    public ChatMessage append(String room, String id, String from, String text, long ts) {
        while (true) {
            Room r = use(room);
            ChatMessage message;
            synchronized (r) {
                if (r.dropped) {
                    continue;
                }
                message = new ChatMessage(id, room, ++r.lastOffset, from, null, text, ts);
                r.add(message);
                while (r.kept.size() > size) {
                    r.removeOldest();
                }
                r.dropOlderThan(clock.millis() - ttlMillis);
            }
            shrinkIfOver(r);
            return message;
        }
    }

    @Override
    public Replay replay(String room, Long since, String epoch) {
        while (true) {
            Room r = use(room);
            Replay replay;
            synchronized (r) {
                if (r.dropped) {
                    continue;
                }
                replay = replayOf(r, since, epoch);
            }
            shrinkIfOver(null);
            return replay;
        }
    }

    private Replay replayOf(Room r, Long since, String epoch) {
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

    /** Rooms whose history is kept (for tests and, later, metrics). */
    public int roomCount() {
        return rooms.size();
    }

    /** Heap the kept messages take, in all rooms. */
    public long bytes() {
        return bytes.get();
    }

    /**
     * Past a bound: drops idle rooms, those left longest ago first; then, for bytes, the oldest
     * messages of the room just written to (all the others are in use), keeping its newest.
     */
    private void shrinkIfOver(Room writtenTo) {
        while (rooms.size() > maxRooms || bytes.get() > maxBytes) {
            Room dropped = takeLongestIdle();
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
     * Takes out of the map the room left longest ago. Presence marks a room occupied (under the same
     * lock) before a joiner looks it up, so no joiner is handed a room being dropped.
     */
    private Room takeLongestIdle() {
        synchronized (occupancyLock) {
            Iterator<Map.Entry<String, Room>> eldest = idle.entrySet().iterator();
            if (!eldest.hasNext()) {
                return null;
            }
            Map.Entry<String, Room> entry = eldest.next();
            eldest.remove();
            rooms.remove(entry.getKey(), entry.getValue());
            return entry.getValue();
        }
    }
}

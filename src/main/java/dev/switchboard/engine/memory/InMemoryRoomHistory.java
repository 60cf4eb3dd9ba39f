package dev.switchboard.engine.memory;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.ChatMessage;
import dev.switchboard.engine.Presence;
import dev.switchboard.engine.RoomHistory;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Room history in this JVM: per room, the last N messages younger than the retention time; in all,
 * at most {@code switchboard.history.max-rooms} rooms and {@code switchboard.history.max-bytes}. Past
 * either, the rooms least recently used that nobody is in lose their history first (a later join
 * gets a new epoch, so clients know to start afresh); then, for bytes, the oldest messages of the
 * rooms least recently used. A room somebody is in is never dropped, so its offsets never restart
 * under a member's feet.
 */
@ApplicationScoped
public class InMemoryRoomHistory implements RoomHistory {

    /** Heap a kept message takes besides its text (the record, its id, names and offsets), roughly. */
    static final long MESSAGE_OVERHEAD_BYTES = 200;
    /** Rooms looked at, eldest first, for one to drop: bounds the work under the lock when most are in use. */
    private static final int EVICTION_SCAN = 1000;

    @Inject
    SwitchboardConfig config;

    @Inject
    Presence presence;

    Clock clock = Clock.systemUTC();
    private int size;
    private long ttlMillis;
    private int maxRooms;
    private long maxBytes;
    /** Rooms by last use (append or replay), eldest first; guarded by itself. */
    private final LinkedHashMap<String, Room> rooms = new LinkedHashMap<>(256, 0.75f, true);
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

    /** The room's log, made if needed, now the most recently used. */
    private Room use(String name) {
        synchronized (rooms) {
            return rooms.computeIfAbsent(name, k -> new Room());
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
            shrinkIfOver(room);
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
            shrinkIfOver(room);
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
        synchronized (rooms) {
            return rooms.size();
        }
    }

    /** Heap the kept messages take, in all rooms. */
    public long bytes() {
        return bytes.get();
    }

    private boolean overRooms() {
        synchronized (rooms) {
            return rooms.size() > maxRooms;
        }
    }

    /** Past a bound: drops idle rooms, eldest first, then (for bytes) the oldest messages of the eldest rooms. */
    private void shrinkIfOver(String using) {
        while (overRooms() || bytes.get() > maxBytes) {
            Room idle = takeEldestIdleRoom(using);
            if (idle == null) {
                break;
            }
            synchronized (idle) {
                idle.drop();
            }
        }
        if (bytes.get() > maxBytes) {
            trimEldestRooms();
        }
    }

    /**
     * Takes out of the map the least recently used room nobody is in. The check and the removal are
     * one step under the map's lock, and a join enters presence before it looks the room up, so no
     * joiner is ever handed a room that is being dropped.
     */
    private Room takeEldestIdleRoom(String using) {
        synchronized (rooms) {
            int looked = 0;
            for (Map.Entry<String, Room> entry : rooms.entrySet()) {
                if (++looked > EVICTION_SCAN) {
                    return null;
                }
                if (!entry.getKey().equals(using) && presence.count(entry.getKey()) == 0) {
                    rooms.remove(entry.getKey()); // no other entry moves: the loop ends here
                    return entry.getValue();
                }
            }
            return null;
        }
    }

    /** Every room is in use: their oldest messages go, eldest room first (offsets go on, nobody is reset). */
    private void trimEldestRooms() {
        List<Room> eldest;
        synchronized (rooms) {
            eldest = rooms.values().stream().limit(EVICTION_SCAN).toList();
        }
        for (Room r : eldest) {
            synchronized (r) {
                while (!r.kept.isEmpty() && bytes.get() > maxBytes) {
                    r.removeOldest();
                }
            }
            if (bytes.get() <= maxBytes) {
                return;
            }
        }
    }
}

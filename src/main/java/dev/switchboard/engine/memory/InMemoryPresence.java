package dev.switchboard.engine.memory;

import dev.switchboard.engine.Presence;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Presence in this JVM: room to user to that user's connections in the room. Members are kept sorted
 * and counted as they come and go, so a join to a room of 10,000 neither sorts nor counts them.
 */
@ApplicationScoped
public class InMemoryPresence implements Presence {

    /** One room's members by name; changed only inside {@code compute} on the rooms map. */
    private static final class Members {
        final ConcurrentSkipListMap<String, Set<String>> byUser = new ConcurrentSkipListMap<>();
        volatile int count;
    }

    private final Map<String, Members> rooms = new ConcurrentHashMap<>();

    @Inject
    RoomOccupancy occupancy;

    /** Presence outside the container, for unit tests, telling the given history of rooms filled and emptied. */
    public static InMemoryPresence forTests(RoomOccupancy occupancy) {
        InMemoryPresence presence = new InMemoryPresence();
        presence.occupancy = occupancy;
        return presence;
    }

    /** Presence outside the container, for unit tests, with no history to tell. */
    public static InMemoryPresence forTests() {
        return forTests(new RoomOccupancy() {
            @Override
            public void occupied(String room) {
            }

            @Override
            public void vacated(String room) {
            }
        });
    }

    @Override
    public boolean enter(String room, String user, String connectionId) {
        boolean[] first = {false};
        // Each room's entry is changed only inside compute on the outer map, so an emptied room can
        // be removed without losing a member who enters at the same moment.
        rooms.compute(room, (r, members) -> {
            if (members == null) {
                occupancy.occupied(room); // under the room's entry: in order with its vacating
            }
            Members m = members == null ? new Members() : members;
            Set<String> connections = m.byUser.computeIfAbsent(user, u -> new HashSet<>());
            first[0] = connections.isEmpty();
            connections.add(connectionId);
            if (first[0]) {
                m.count++;
            }
            return m;
        });
        return first[0];
    }

    @Override
    public boolean exit(String room, String user, String connectionId) {
        boolean[] last = {false};
        rooms.computeIfPresent(room, (r, members) -> {
            Set<String> connections = members.byUser.get(user);
            if (connections != null && connections.remove(connectionId) && connections.isEmpty()) {
                members.byUser.remove(user);
                members.count--;
                last[0] = true;
            }
            if (members.count == 0) {
                occupancy.vacated(room);
                return null;
            }
            return members;
        });
        return last[0];
    }

    @Override
    public List<String> members(String room, int limit) {
        Members members = rooms.get(room);
        if (members == null) {
            return List.of();
        }
        List<String> first = new ArrayList<>(Math.min(limit, 128));
        for (String user : members.byUser.keySet()) {
            if (first.size() == limit) {
                break;
            }
            first.add(user);
        }
        return first;
    }

    @Override
    public int count(String room) {
        Members members = rooms.get(room);
        return members == null ? 0 : members.count;
    }
}

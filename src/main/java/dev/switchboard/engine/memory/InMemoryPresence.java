package dev.switchboard.engine.memory;

import dev.switchboard.engine.Presence;
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
public class InMemoryPresence implements Presence {

    /** One room's members by name; changed only inside {@code compute} on the rooms map. */
    private static final class Members {
        final ConcurrentSkipListMap<String, Set<String>> byUser = new ConcurrentSkipListMap<>();
        volatile int count;
    }

    private final Map<String, Members> rooms = new ConcurrentHashMap<>();

    /** Presence outside the container, for unit tests. */
    public static InMemoryPresence forTests() {
        return new InMemoryPresence();
    }

    @Override
    public boolean enter(String room, String user, String connectionId) {
        boolean[] first = {false};
        // Each room's entry is changed only inside compute on the outer map, so an emptied room can
        // be removed without losing a member who enters at the same moment.
        rooms.compute(room, (r, members) -> {
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
            return members.count == 0 ? null : members;
        });
        return last[0];
    }

    @Override
    public boolean present(String room, String user) {
        Members members = rooms.get(room);
        return members != null && members.byUser.containsKey(user);
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
    public List<String> rooms(int limit) {
        return rooms.entrySet().stream().filter(e -> e.getValue().count > 0).map(Map.Entry::getKey).limit(limit).toList();
    }

    @Override
    public int count(String room) {
        Members members = rooms.get(room);
        return members == null ? 0 : members.count;
    }
}

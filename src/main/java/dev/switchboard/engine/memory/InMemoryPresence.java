package dev.switchboard.engine.memory;

import dev.switchboard.engine.Presence;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Presence in this JVM: room to user to that user's connections in the room. */
@ApplicationScoped
public class InMemoryPresence implements Presence {

    private final Map<String, Map<String, Set<String>>> rooms = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> online = new ConcurrentHashMap<>();

    @Override
    public boolean enter(String room, String user, String connectionId) {
        boolean[] first = {false};
        // Each room's entry is changed only inside compute on the outer map, so an emptied room can
        // be removed without losing a member who enters at the same moment.
        rooms.compute(room, (r, members) -> {
            Map<String, Set<String>> m = members == null ? new ConcurrentHashMap<>() : members;
            Set<String> connections = m.computeIfAbsent(user, u -> new HashSet<>());
            first[0] = connections.isEmpty();
            connections.add(connectionId);
            return m;
        });
        return first[0];
    }

    @Override
    public boolean exit(String room, String user, String connectionId) {
        boolean[] last = {false};
        rooms.computeIfPresent(room, (r, members) -> {
            Set<String> connections = members.get(user);
            if (connections != null && connections.remove(connectionId) && connections.isEmpty()) {
                members.remove(user);
                last[0] = true;
            }
            return members.isEmpty() ? null : members;
        });
        return last[0];
    }

    @Override
    public List<String> members(String room) {
        Map<String, Set<String>> members = rooms.get(room);
        return members == null ? List.of() : members.keySet().stream().sorted().toList();
    }

    @Override
    public void online(String user, String connectionId, boolean isOnline) {
        online.compute(user, (u, connections) -> {
            Set<String> set = connections == null ? new HashSet<>() : connections;
            if (isOnline) {
                set.add(connectionId);
            } else {
                set.remove(connectionId);
            }
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public boolean isOnline(String user) {
        return online.containsKey(user);
    }

    @Override
    public int connections(String user) {
        Set<String> connections = online.get(user);
        return connections == null ? 0 : connections.size();
    }
}

package dev.switchboard.engine.memory;

import dev.switchboard.engine.Holds;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Holds in a map: one node's word is the only one. */
final class InMemoryHolds implements Holds {

    private final Map<String, Hold> byName = new ConcurrentHashMap<>();

    @Override
    public Optional<Hold> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public boolean replace(String name, Optional<Hold> expected, Hold next) {
        return expected.isEmpty() ? byName.putIfAbsent(name, next) == null : byName.replace(name, expected.get(), next);
    }

    @Override
    public void drop(String name, Hold expected) {
        byName.remove(name, expected);
    }

    @Override
    public int count() {
        return byName.size();
    }

    @Override
    public Map<String, Hold> lapsed(long beforeMillis, int limit) {
        Map<String, Hold> lapsed = new LinkedHashMap<>();
        byName.entrySet().stream().filter(e -> e.getValue().untilMillis() < beforeMillis)
                .sorted(Comparator.comparingLong(e -> e.getValue().untilMillis())).limit(limit)
                .forEach(e -> lapsed.put(e.getKey(), e.getValue()));
        return lapsed;
    }
}

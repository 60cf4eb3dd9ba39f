package dev.switchboard.engine.memory;

import dev.switchboard.engine.Documents;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Documents in a map; a lapsed one is forgotten when it is next read or written. */
final class InMemoryDocuments implements Documents {

    private record Kept(Versioned document, long lapsesAtMillis) {
    }

    private final Map<String, Kept> byKey = new ConcurrentHashMap<>();
    private final Clock clock;

    InMemoryDocuments(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<Versioned> get(String key) {
        return Optional.ofNullable(current(key)).map(Kept::document);
    }

    private Kept current(String key) {
        Kept kept = byKey.get(key);
        if (kept != null && kept.lapsesAtMillis() <= clock.millis()) {
            byKey.remove(key, kept);
            return null;
        }
        return kept;
    }

    @Override
    public boolean replace(String key, long expectedVersion, String text, long keepMillis) {
        boolean[] written = {false};
        byKey.compute(key, (k, kept) -> {
            boolean lapsed = kept != null && kept.lapsesAtMillis() <= clock.millis();
            long version = kept == null || lapsed ? 0 : kept.document().version();
            if (version != expectedVersion) {
                return kept;
            }
            written[0] = true;
            long lapsesAt = keepMillis == 0 ? Long.MAX_VALUE : clock.millis() + keepMillis;
            return new Kept(new Versioned(text, version + 1), lapsesAt);
        });
        return written[0];
    }
}

package dev.switchboard.chat;

import dev.switchboard.engine.Documents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Slow mode: one message per user per interval in a room, counted in the engine, so a user with tabs on
 * two nodes gets no more than one with a single tab. Each user's next allowed time is a small document
 * that lapses by itself once the interval is over.
 */
@ApplicationScoped
public class SlowMode {

    private static final String PREFIX = "slow-mode:";

    @Inject
    Documents documents;

    Clock clock = Clock.systemUTC();

    /**
     * Takes the user's turn to say something in the room: empty when it was theirs to take (their next
     * one is an interval from now), otherwise when their next turn comes.
     */
    public Optional<Instant> take(String room, String user, Duration interval) {
        String key = PREFIX + room + ":" + user;
        long now = clock.millis();
        Optional<Documents.Versioned> last = documents.get(key);
        if (last.isPresent()) {
            long next = Long.parseLong(last.get().text());
            if (next > now) {
                return Optional.of(Instant.ofEpochMilli(next));
            }
        }
        long next = now + interval.toMillis();
        if (!documents.replace(key, last.map(Documents.Versioned::version).orElse(0L), Long.toString(next), interval.toMillis())) {
            // Another tab of the user took it at this very moment.
            return Optional.of(Instant.ofEpochMilli(next));
        }
        return Optional.empty();
    }
}

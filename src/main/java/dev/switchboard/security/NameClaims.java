package dev.switchboard.security;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Holds;
import dev.switchboard.engine.Holds.Hold;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which browser holds each name the built-in token issuer has given out, on every node (the engine's
 * {@link Holds}). A name stays with the browser that took it while a token for it is still valid,
 * while it has a chat connection open on any node, and while a feature keeps it ({@link NameKeeper}:
 * chat, while whispers wait for it); another browser asking for it meanwhile is refused, so nobody can
 * take over a name in use or read the whispers kept for it. Browsers are known by a random id kept in
 * an HttpOnly cookie; only a hash of it is held.
 */
@ApplicationScoped
public class NameClaims {

    private static final Logger LOG = Logger.getLogger(NameClaims.class.getName());
    /** Lapsed holds looked at per sweep: a sweep runs inside a token request, so it stays short. */
    private static final int SWEEP_BATCH = 200;
    /** Tries of a compare and set that another node keeps beating before the name counts as taken. */
    private static final int ATTEMPTS = 3;
    /** How long a lapsed hold that is still needed waits before a sweep looks at it again. */
    private static final long RECHECK_MILLIS = 60_000;

    /** What became of a request for a name. */
    public enum Outcome { CLAIMED, TAKEN, FULL }

    @Inject
    SwitchboardConfig config;

    @Inject
    ConnectionPlaces places;

    @Inject
    Holds holds;

    /** Features that keep names of their own (chat: whispers waiting); every one is asked. */
    Iterable<NameKeeper> keepers;

    Clock clock = Clock.systemUTC();
    private int maxClaims;
    /** When lapsed holds were last swept; at most once a second, so a flood of new names cannot make every request sweep. */
    private final AtomicLong lastSweepMillis = new AtomicLong();

    @Inject
    void keepers(Instance<NameKeeper> all) {
        keepers = all;
    }

    @PostConstruct
    void readSettings() {
        maxClaims = config.positiveInt(Setting.NAMES_MAX_CLAIMED);
    }

    /**
     * Gives the name to the browser until {@code heldUntil} (the token's expiry), unless another
     * browser holds it; FULL when {@link Setting#NAMES_MAX_CLAIMED} names are held already.
     *
     * @throws EngineUnavailable when the holds cannot be read or written
     */
    public Outcome claim(String name, String browserHash, Instant heldUntil) {
        Hold wanted = new Hold(browserHash, heldUntil.toEpochMilli());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Hold> held = holds.get(name);
            if (held.isEmpty() && holds.count() >= maxClaims && dropLapsed() >= maxClaims) {
                return Outcome.FULL;
            }
            if (held.isPresent()) {
                boolean same = held.get().holder().equals(browserHash);
                if (!same && stillHeld(name, held.get())) {
                    return Outcome.TAKEN;
                }
                if (same && held.get().untilMillis() >= wanted.untilMillis()) {
                    return Outcome.CLAIMED;
                }
            }
            if (holds.replace(name, held, wanted)) {
                return Outcome.CLAIMED;
            }
            // Another request (on this node or another) changed the hold between the read and the write: read again.
        }
        return Outcome.TAKEN;
    }

    /**
     * Whether a verified token may still be used: one this server issued is bound to a browser, and is
     * refused once another browser holds its name (its claim had lapsed); when every hold is forgotten
     * (one node in memory, restarted), the first such token to come back holds its name again. Tokens
     * from an outside identity provider name no browser and are not checked. If the engine cannot be
     * reached the signed token is trusted.
     */
    public boolean admits(String name, String browserHash, Instant expiresAt) {
        if (browserHash == null) {
            return true;
        }
        try {
            return claim(name, browserHash, expiresAt) != Outcome.TAKEN;
        } catch (EngineUnavailable e) {
            LOG.log(Level.WARNING, "Checking who holds the name {0} failed ({1}); its signed token is trusted",
                    new Object[] {name, e.getMessage()});
            return true;
        }
    }

    private boolean stillHeld(String name, Hold hold) {
        if (hold.untilMillis() > clock.millis() || places.holdsAny(name)) {
            return true;
        }
        for (NameKeeper keeper : keepers) {
            if (keeper.keeps(name)) {
                return true;
            }
        }
        return false;
    }

    /** Drops a batch of holds nobody needs any more; returns how many names are still held. */
    private int dropLapsed() {
        long now = clock.millis();
        long last = lastSweepMillis.get();
        if (now - last < 1000 || !lastSweepMillis.compareAndSet(last, now)) {
            return holds.count();
        }
        for (Map.Entry<String, Hold> lapsed : holds.lapsed(now, SWEEP_BATCH).entrySet()) {
            Hold hold = lapsed.getValue();
            if (stillHeld(lapsed.getKey(), hold)) {
                // Kept by a connection or waiting messages: looked at again in a while, after the other lapsed ones.
                holds.replace(lapsed.getKey(), Optional.of(hold), new Hold(hold.holder(), now + RECHECK_MILLIS));
            } else {
                holds.drop(lapsed.getKey(), hold);
            }
        }
        return holds.count();
    }
}

package dev.switchboard.security;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which browser holds each name the built-in token issuer has given out. A name stays with the
 * browser that took it while a token for it is still valid, while it has a chat connection open,
 * and while a feature keeps it ({@link NameKeeper}: chat, while whispers wait for it); another
 * browser asking for it meanwhile is refused, so nobody can take over a name in use or read the
 * whispers kept for it. Browsers are known by a random id kept
 * in an HttpOnly cookie; only a hash of it is held here.
 */
@ApplicationScoped
public class NameClaims {

    /** What became of a request for a name. */
    public enum Outcome { CLAIMED, TAKEN, FULL }

    private record Claim(String browserHash, Instant heldUntil) {
    }

    @Inject
    SwitchboardConfig config;

    @Inject
    ConnectionSlots slots;

    /** Features that keep names of their own (chat: whispers waiting); every one is asked. */
    Iterable<NameKeeper> keepers;

    Clock clock = Clock.systemUTC();
    private int maxClaims;
    private final Map<String, Claim> byName = new ConcurrentHashMap<>();
    /** When the full map was last swept; at most once a second, so a flood of new names cannot make every request scan it. */
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
     */
    public Outcome claim(String name, String browserHash, Instant heldUntil) {
        if (!byName.containsKey(name) && byName.size() >= maxClaims && dropLapsed() >= maxClaims) {
            return Outcome.FULL;
        }
        Outcome[] outcome = {Outcome.CLAIMED};
        byName.compute(name, (n, held) -> {
            if (held != null && !held.browserHash().equals(browserHash) && stillHeld(n, held)) {
                outcome[0] = Outcome.TAKEN;
                return held;
            }
            boolean sameBrowserLater = held != null && held.browserHash().equals(browserHash)
                    && held.heldUntil().isAfter(heldUntil);
            return sameBrowserLater ? held : new Claim(browserHash, heldUntil);
        });
        return outcome[0];
    }

    /**
     * Whether a verified token may still be used: one this server issued is bound to a browser, and is
     * refused once another browser holds its name (its claim had lapsed); after a restart, which forgets
     * every claim, the first such token to come back holds its name again. Tokens from an outside
     * identity provider name no browser and are not checked.
     */
    public boolean admits(String name, String browserHash, Instant expiresAt) {
        return browserHash == null || claim(name, browserHash, expiresAt) != Outcome.TAKEN;
    }

    private boolean stillHeld(String name, Claim claim) {
        if (claim.heldUntil().isAfter(clock.instant()) || slots.holdsAny(name)) {
            return true;
        }
        for (NameKeeper keeper : keepers) {
            if (keeper.keeps(name)) {
                return true;
            }
        }
        return false;
    }

    /** Forgets names nobody holds any more; returns how many are still held. */
    private int dropLapsed() {
        long now = clock.millis();
        long last = lastSweepMillis.get();
        if (now - last < 1000 || !lastSweepMillis.compareAndSet(last, now)) {
            return byName.size();
        }
        byName.entrySet().removeIf(entry -> !stillHeld(entry.getKey(), entry.getValue()));
        return byName.size();
    }
}

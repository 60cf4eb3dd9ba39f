package dev.switchboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.memory.InMemoryEngine;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class NameClaimsTest {

    private final Instant now = Instant.parse("2026-11-23T12:00:00Z");
    private final SwitchboardConfig config = SwitchboardConfig.of(Map.of("switchboard.names.max-claimed", "3"));
    /** Names some keeper (chat's whispers waiting) says are someone's. */
    private final Set<String> kept = ConcurrentHashMap.newKeySet();
    private final NameClaims claims = new NameClaims();

    NameClaimsTest() {
        claims.config = config;
        claims.places = new ConnectionPlaces();
        InMemoryEngine engine = InMemoryEngine.create(config);
        claims.places.everywhere = engine.places(); // one node: its own count decides
        claims.places.executors = new dev.switchboard.config.ServerExecutors();
        claims.holds = engine.holds();
        claims.keepers = List.of(kept::contains);
        claims.clock = Clock.fixed(now, ZoneOffset.UTC);
        claims.readSettings();
    }

    @Test
    void aNameIsHeldForItsBrowserWhileItsTokenIsValid() {
        assertEquals(NameClaims.Outcome.CLAIMED, claims.claim("alice", "browser-a", now.plusSeconds(60)));
        assertEquals(NameClaims.Outcome.CLAIMED, claims.claim("alice", "browser-a", now.plusSeconds(120)), "its own browser");
        assertEquals(NameClaims.Outcome.TAKEN, claims.claim("alice", "browser-b", now.plusSeconds(60)));
    }

    @Test
    void aLapsedNameIsFreeUnlessItIsConnectedOrHasWhispersWaiting() {
        claims.claim("lapsed", "browser-a", now.minusSeconds(1));
        assertEquals(NameClaims.Outcome.CLAIMED, claims.claim("lapsed", "browser-b", now.plusSeconds(60)), "nobody holds it");

        claims.claim("connected", "browser-a", now.minusSeconds(1));
        Optional<ConnectionPlaces.Place> place = claims.places.reserveForUser("connected", 1);
        assertEquals(NameClaims.Outcome.TAKEN, claims.claim("connected", "browser-b", now.plusSeconds(60)), "a connection is open");
        place.orElseThrow().free();
        assertEquals(NameClaims.Outcome.CLAIMED, claims.claim("connected", "browser-b", now.plusSeconds(60)));

        claims.claim("away", "browser-a", now.minusSeconds(1));
        kept.add("away");
        assertEquals(NameClaims.Outcome.TAKEN, claims.claim("away", "browser-b", now.plusSeconds(60)), "whispers wait for it");
    }

    @Test
    void pastTheBoundNewNamesAreRefusedUntilOldOnesLapse() {
        claims.claim("one", "b", now.plusSeconds(60));
        claims.claim("two", "b", now.plusSeconds(60));
        claims.claim("three", "b", now.minusSeconds(1));
        assertEquals(NameClaims.Outcome.CLAIMED, claims.claim("four", "b", now.plusSeconds(60)), "'three' had lapsed");
        assertEquals(NameClaims.Outcome.FULL, claims.claim("five", "b", now.plusSeconds(60)));
        assertEquals(NameClaims.Outcome.CLAIMED, claims.claim("one", "b", now.plusSeconds(60)), "held names are renewed");
    }

    @Test
    void aTokenIsAdmittedWhileItsBrowserHoldsTheNameAndReclaimsItAfterARestart() {
        assertEquals(true, claims.admits("restarted", "browser-a", now.plusSeconds(60)), "no claim (a restart): it takes the name back");
        assertEquals(NameClaims.Outcome.TAKEN, claims.claim("restarted", "browser-b", now.plusSeconds(60)));
        assertEquals(false, claims.admits("restarted", "browser-b", now.plusSeconds(60)), "another browser's token is refused");
        assertEquals(true, claims.admits("external", null, now.plusSeconds(60)), "an outside provider's token names no browser");
    }
}

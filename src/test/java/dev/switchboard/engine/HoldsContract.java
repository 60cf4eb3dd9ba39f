package dev.switchboard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engine.Holds.Hold;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every engine's name holds promise; each engine's test gives its own {@link #holds()}. */
public abstract class HoldsContract {

    /** Names unique to the test, so engines that outlive a test (a Redis server) start clean. */
    private final String prefix = "h" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private Holds holds;

    protected abstract Holds holds();

    /** Holds of another set, of the same engine as {@link #holds()}. */
    protected abstract Holds holdsOfASet(String set);

    @Test
    void aSetsHoldsAreApartFromTheNamesAndFromOtherSets() {
        String name = prefix + "bob";
        Holds deadlines = holdsOfASet("deadlines-" + prefix);
        Holds others = holdsOfASet("others-" + prefix);
        int names = holds.count();
        assertTrue(deadlines.replace(name, Optional.empty(), new Hold("", 5)));
        assertEquals(Optional.empty(), holds.get(name), "not a name's hold");
        assertEquals(Optional.empty(), others.get(name), "nor another set's");
        assertEquals(names, holds.count(), "names are counted without it");
        assertEquals(1, deadlines.count());
        assertTrue(holds.lapsed(10, 1000).keySet().stream().noneMatch(name::equals));
        assertEquals(List.of(name), List.copyOf(deadlines.lapsed(10, 10).keySet()));
        deadlines.drop(name, new Hold("", 5));
        assertEquals(0, deadlines.count());
    }

    @BeforeEach
    void useHolds() {
        holds = holds();
    }

    @Test
    void aHoldIsSetOnlyOverTheOneTheCallerRead() {
        String name = prefix + "alice";
        Hold first = new Hold("browser-a", 1_000);
        assertTrue(holds.replace(name, Optional.empty(), first));
        assertEquals(Optional.of(first), holds.get(name));
        assertFalse(holds.replace(name, Optional.empty(), new Hold("browser-b", 2_000)), "it is held: not empty any more");
        assertFalse(holds.replace(name, Optional.of(new Hold("browser-a", 999)), new Hold("browser-b", 2_000)), "not what is held");
        Hold second = new Hold("browser-b", 2_000);
        assertTrue(holds.replace(name, Optional.of(first), second));
        assertEquals(Optional.of(second), holds.get(name));
    }

    @Test
    void aHoldIsDroppedOnlyIfItIsStillTheOneExpected() {
        String name = prefix + "bob";
        Hold hold = new Hold("browser-a", 1_000);
        holds.replace(name, Optional.empty(), hold);
        holds.drop(name, new Hold("browser-z", 1_000));
        assertEquals(Optional.of(hold), holds.get(name), "another hold: kept");
        int before = holds.count();
        holds.drop(name, hold);
        assertEquals(Optional.empty(), holds.get(name));
        assertEquals(before - 1, holds.count());
    }

    @Test
    void lapsedHoldsAreListedEarliestFirstWithinTheLimit() {
        long base = 500_000;
        holds.replace(prefix + "late", Optional.empty(), new Hold("x", base + 30));
        holds.replace(prefix + "early", Optional.empty(), new Hold("x", base + 10));
        holds.replace(prefix + "middle", Optional.empty(), new Hold("x", base + 20));
        holds.replace(prefix + "future", Optional.empty(), new Hold("x", Long.MAX_VALUE / 2));
        List<String> lapsed = holds.lapsed(base + 31, 1000).keySet().stream().filter(n -> n.startsWith(prefix)).toList();
        assertEquals(List.of(prefix + "early", prefix + "middle", prefix + "late"), lapsed);
        assertEquals(new Hold("x", base + 20), holds.lapsed(base + 31, 1000).get(prefix + "middle"));
        assertTrue(holds.lapsed(base + 10, 1000).keySet().stream().noneMatch(n -> n.startsWith(prefix)), "none before its time");
        assertTrue(holds.count() >= 4);
    }

    @Test
    void requestsRacingForOneNameAgreeOnOneWinner() throws Exception {
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            for (int round = 0; round < 100; round++) {
                String name = prefix + "race-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> tries = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    Hold mine = new Hold("browser-" + i, 1_000);
                    tries.add(pool.submit(() -> {
                        start.await();
                        return holds.replace(name, Optional.empty(), mine);
                    }));
                }
                start.countDown();
                int won = 0;
                for (Future<Boolean> attempt : tries) {
                    won += attempt.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, won, "winners of " + name);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

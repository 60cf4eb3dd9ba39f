package dev.switchboard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every engine's acknowledgements promise; each engine's test gives its own {@link #acknowledgements()}. */
public abstract class AcknowledgementsContract {

    /** User names unique to the test, so engines that outlive a test (a Redis server) start clean. */
    private final String alice = "alice-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    private final String bob = "bob-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    private Acknowledgements acks;

    protected abstract Acknowledgements acknowledgements();

    @org.junit.jupiter.api.BeforeEach
    void useAcknowledgements() {
        acks = acknowledgements();
    }

    @Test
    void theFirstTryGoesAheadAndRetriesGetItsAck() {
        assertInstanceOf(Acknowledgements.First.class, acks.claim(alice, "say:1"));
        assertInstanceOf(Acknowledgements.Underway.class, acks.claim(alice, "say:1"), "while the first is handled");
        assertInstanceOf(Acknowledgements.First.class, acks.claim(bob, "say:1"), "another user's id is another id");
        acks.answer(alice, "say:1", "{\"type\":\"ack\"}");
        assertEquals(new Acknowledgements.Answered("{\"type\":\"ack\"}"), acks.claim(alice, "say:1"));
    }

    @Test
    void aRefusedFirstTryLetsTheRetryGoAhead() {
        acks.claim(alice, "say:2");
        acks.release(alice, "say:2");
        assertInstanceOf(Acknowledgements.First.class, acks.claim(alice, "say:2"));
    }

    @Test
    void triesAtTheSameMomentGoAheadOnce() throws Exception {
        int tries = 16;
        ExecutorService pool = Executors.newFixedThreadPool(tries);
        try {
            for (int round = 0; round < 200; round++) {
                String cid = "say:race-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Acknowledgements.Claim>> claims = new ArrayList<>();
                for (int i = 0; i < tries; i++) {
                    claims.add(pool.submit(() -> {
                        start.await();
                        return acks.claim(alice, cid);
                    }));
                }
                start.countDown();
                int first = 0;
                for (Future<Acknowledgements.Claim> claim : claims) {
                    first += claim.get(10, TimeUnit.SECONDS) instanceof Acknowledgements.First ? 1 : 0;
                }
                assertEquals(1, first, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.engine.Acknowledgements;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.memory.InMemoryAcknowledgements;
import dev.switchboard.testing.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The server API runs a request once per Idempotency-Key: retries get the first answer, or 409 while it runs. */
class IdempotencyTest {

    private final Idempotency idempotency = idempotency(new InMemoryAcknowledgements());
    /** How often the request's work ran. */
    private final AtomicInteger runs = new AtomicInteger();
    private final Supplier<CompletionStage<?>> publish = () ->
            CompletableFuture.completedFuture(Map.of("offset", runs.incrementAndGet()));

    private static Idempotency idempotency(Acknowledgements claims) {
        Idempotency idempotency = new Idempotency();
        idempotency.claims = claims;
        return idempotency;
    }

    private static HttpExchange withKey(String key) {
        return new HttpExchange().header("Idempotency-Key", key);
    }

    private HttpExchange send(HttpExchange exchange, String scope, Supplier<CompletionStage<?>> work) throws IOException {
        idempotency.once(exchange.request, exchange.response, scope, work);
        return exchange;
    }

    private static void assertError(HttpExchange answered, int status, String error) {
        assertEquals(status, answered.status(), answered.body());
        assertEquals(error, answered.json().getString("error"), answered.body());
    }

    @Test
    void requestsWithoutAKeyRunEveryTime() throws IOException {
        assertEquals("{\"offset\":1}", send(new HttpExchange(), "publish", publish).body());
        HttpExchange second = send(new HttpExchange(), "publish", publish);
        assertEquals(200, second.status());
        assertEquals("{\"offset\":2}", second.body());
        assertNull(second.responseHeader("Idempotent-Replayed"));
    }

    @Test
    void aRetryWithTheSameKeyGetsTheFirstAnswerAndDoesNotRunAgain() throws IOException {
        HttpExchange first = send(withKey("k-1"), "publish", publish);
        HttpExchange retry = send(withKey("k-1"), "publish", publish);
        assertEquals(1, runs.get());
        assertEquals(200, retry.status());
        assertEquals(first.body(), retry.body());
        assertEquals("true", retry.responseHeader("Idempotent-Replayed"));
        assertNull(first.responseHeader("Idempotent-Replayed"), "the first answer is no replay");
    }

    @Test
    void oneKeyOnTwoKindsOfRequestIsTwoRequests() throws IOException {
        send(withKey("k-1"), "publish", publish);
        assertEquals("{\"offset\":2}", send(withKey("k-1"), "whisper", publish).body());
    }

    @Test
    void aRetryWhileTheFirstIsUnderWayGets409AndTheFirstStillAnswers() throws IOException {
        HttpExchange[] retry = new HttpExchange[1];
        HttpExchange first = send(withKey("k-1"), "publish", () -> {
            try {
                retry[0] = send(withKey("k-1"), "publish", publish); // arrives while the first runs
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return CompletableFuture.completedFuture(Map.of("offset", 7));
        });
        assertError(retry[0], 409, "in_progress");
        assertEquals(0, runs.get(), "the retry did not run");
        assertEquals("{\"offset\":7}", first.body());
    }

    @Test
    void aRequestThatFailsIsAnswered503AndItsKeyIsFreeForTheRetry() throws IOException {
        HttpExchange failed = send(withKey("k-1"), "publish",
                () -> CompletableFuture.failedFuture(new EngineUnavailable("Redis down", null)));
        assertError(failed, 503, "unavailable");
        assertEquals("1", failed.responseHeader("Retry-After"));
        HttpExchange thrown = send(withKey("k-2"), "publish", () -> {
            throw new EngineUnavailable("Redis down", null);
        });
        assertError(thrown, 503, "unavailable");
        assertEquals("{\"offset\":1}", send(withKey("k-1"), "publish", publish).body(), "the retry runs");
        assertEquals("{\"offset\":2}", send(withKey("k-2"), "publish", publish).body(), "the retry runs");
    }

    @Test
    void keysAreOneTo200PrintableAsciiCharacters() throws IOException {
        for (String bad : List.of("", "k".repeat(201), "clé", "k\t1", "k\u007f")) {
            assertError(send(withKey(bad), "publish", publish), 400, "bad_key");
        }
        assertEquals(0, runs.get(), "a request with a bad key does not run");
        assertEquals(200, send(withKey("k".repeat(200)), "publish", publish).status());
        assertEquals(200, send(withKey("a key: with spaces & signs!"), "publish", publish).status());
    }

    @Test
    void whenTheStoreCannotClaimTheKeyNothingRunsAndTheClientIsToldToRetry() throws IOException {
        Idempotency storeDown = idempotency(new Acknowledgements() {
            @Override
            public Claim claim(String user, String cid) {
                throw new EngineUnavailable("Redis down", null);
            }

            @Override
            public void answer(String user, String cid, String ack) {
            }

            @Override
            public void release(String user, String cid) {
            }
        });
        HttpExchange answered = withKey("k-1");
        storeDown.once(answered.request, answered.response, "publish", publish);
        assertError(answered, 503, "unavailable");
        assertEquals(0, runs.get());
    }

    @Test
    void whenTheStoreCannotKeepTheAnswerTheRequestIsAnsweredAllTheSame() throws IOException {
        InMemoryAcknowledgements kept = new InMemoryAcknowledgements();
        Idempotency forgetful = idempotency(new Acknowledgements() {
            @Override
            public Claim claim(String user, String cid) {
                return kept.claim(user, cid);
            }

            @Override
            public void answer(String user, String cid, String ack) {
                throw new EngineUnavailable("Redis down", null);
            }

            @Override
            public void release(String user, String cid) {
                kept.release(user, cid);
            }
        });
        HttpExchange answered = withKey("k-1");
        forgetful.once(answered.request, answered.response, "publish", publish);
        assertEquals(200, answered.status());
        assertEquals("{\"offset\":1}", answered.body());
    }

    @Test
    void theServerApisClaimsAreApartFromUsersClientIds() throws IOException {
        InMemoryAcknowledgements shared = new InMemoryAcknowledgements();
        assertEquals(Acknowledgements.First.class, shared.claim("ann", "publish:k-1").getClass());
        HttpExchange answered = withKey("k-1");
        idempotency(shared).once(answered.request, answered.response, "publish", publish);
        assertEquals(200, answered.status(), "ann's client id publish:k-1 is not the API's key k-1");
    }
}

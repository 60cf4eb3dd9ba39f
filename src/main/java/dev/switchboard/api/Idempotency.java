package dev.switchboard.api;

import dev.switchboard.engine.Acknowledgements;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.HttpJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a request of the server API once per {@code Idempotency-Key}: the first request with a key
 * claims it (atomically, on every node: the engine's client-id claims), a retry gets the first's answer,
 * and a retry while the first is under way gets 409. Requests without the header simply run.
 */
@ApplicationScoped
public class Idempotency {

    private static final Logger LOG = Logger.getLogger(Idempotency.class.getName());
    static final String HEADER = "Idempotency-Key";
    /** Whose claims these are, beside users' client ids: no user name has a colon. */
    private static final String CLAIMANT = "api:";
    static final long WAIT_SECONDS = 5;

    @Inject
    Acknowledgements claims;

    /**
     * Answers the request with what {@code work} completes with (200, as JSON), or as the first request
     * with the same key was answered.
     *
     * @param scope what kind of request, so one key on two kinds of request are two requests
     */
    public void once(HttpServletRequest request, HttpServletResponse response, String scope,
            Supplier<CompletionStage<?>> work) throws IOException {
        String key = request.getHeader(HEADER);
        if (key == null) {
            run(response, work, null);
            return;
        }
        if (key.isEmpty() || key.length() > 200 || !StandardCharsets.US_ASCII.newEncoder().canEncode(key)
                || key.chars().anyMatch(Character::isISOControl)) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_key", HEADER + " is 1-200 printable ASCII characters");
            return;
        }
        String claimed = scope + ":" + key;
        Acknowledgements.Claim claim;
        try {
            claim = claims.claim(CLAIMANT, claimed);
        } catch (EngineUnavailable e) {
            unavailable(response, e);
            return;
        }
        if (claim instanceof Acknowledgements.Answered answered) {
            response.setHeader("Idempotent-Replayed", "true");
            HttpJson.writeJson(response, HttpServletResponse.SC_OK, answered.ack());
        } else if (claim instanceof Acknowledgements.First) {
            run(response, work, claimed);
        } else {
            HttpJson.error(response, HttpServletResponse.SC_CONFLICT, "in_progress",
                    "A request with this " + HEADER + " is under way; try again in a moment");
        }
    }

    private void run(HttpServletResponse response, Supplier<CompletionStage<?>> work, String claimed) throws IOException {
        Object result;
        try {
            result = work.get().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            letGo(claimed);
            unavailable(response, e);
            return;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            letGo(claimed);
            unavailable(response, e instanceof ExecutionException ? e.getCause() : e);
            return;
        }
        String json = FrameCodec.toJson(result);
        if (claimed != null) {
            try {
                claims.answer(CLAIMANT, claimed, json);
            } catch (EngineUnavailable e) {
                // Done all the same; a retry waits until the claim lapses, then runs again.
                LOG.log(Level.FINE, "Keeping the answer of an idempotent request failed", e);
            }
        }
        HttpJson.writeJson(response, HttpServletResponse.SC_OK, json);
    }

    private void letGo(String claimed) {
        if (claimed != null) {
            try {
                claims.release(CLAIMANT, claimed);
            } catch (EngineUnavailable e) {
                // The claim lapses by itself.
            }
        }
    }

    private static void unavailable(HttpServletResponse response, Throwable cause) throws IOException {
        LOG.log(Level.INFO, "A server API request could not be done: {0}", String.valueOf(cause));
        response.setHeader("Retry-After", "1");
        HttpJson.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable",
                "The message could not be stored now; send it again (with the same " + HEADER + ")");
    }
}

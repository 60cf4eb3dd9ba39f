package dev.switchboard.security;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.protocol.HttpJson;
import dev.switchboard.protocol.RefusalLog;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The key of the server API ({@code switchboard.api.key}), which a site's own back end and the admin
 * page send as {@code Authorization: Bearer <key>}. Compared in constant time (digests of equal length,
 * {@link MessageDigest#isEqual}), so the time of a refusal tells nothing of the key.
 */
@ApplicationScoped
public class ApiKey {

    static final int MIN_LENGTH = 16;

    @Inject
    SwitchboardConfig config;

    @Inject
    RefusalLog refusals;

    private byte[] keyDigest;

    @PostConstruct
    void read() {
        String key = config.text(Setting.API_KEY);
        if (key.isEmpty()) {
            return;
        }
        if (key.length() < MIN_LENGTH) {
            throw new IllegalStateException("switchboard.api.key (SWITCHBOARD_API_KEY) must be at least " + MIN_LENGTH
                    + " characters; it is " + key.length());
        }
        keyDigest = digest(key);
    }

    /** Read at start: a key too short stops the deployment with a message, not the first request. */
    void checkAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // Observing is enough: read() has run.
    }

    /** Whether the API is on (a key is set). */
    public boolean enabled() {
        return keyDigest != null;
    }

    /**
     * Whether the request carries the key; if not it has been answered: 404 {@code api_off} when no key
     * is set, 401 {@code invalid_key} otherwise.
     */
    public boolean admits(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (keyDigest == null) {
            HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "api_off",
                    "The server API is off: set switchboard.api.key (SWITCHBOARD_API_KEY) to turn it on");
            return false;
        }
        String given = bearer(request);
        if (MessageDigest.isEqual(digest(given), keyDigest)) {
            return true;
        }
        refusals.refused("server API " + request.getMethod() + " " + request.getRequestURI() + " (401)",
                "address " + request.getRemoteAddr(), given.isEmpty() ? "no key" : "wrong key");
        response.setHeader("WWW-Authenticate", "Bearer");
        HttpJson.error(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_key",
                "Send the API key as Authorization: Bearer <key>");
        return false;
    }

    /** Whether the request carries the key (answering nothing when it does not): for APIs that also take other tokens. */
    public boolean carriedBy(HttpServletRequest request) {
        return keyDigest != null && MessageDigest.isEqual(digest(bearer(request)), keyDigest);
    }

    private static String bearer(HttpServletRequest request) {
        String token = TokenRequests.bearerOf(request);
        return token == null ? "" : token;
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

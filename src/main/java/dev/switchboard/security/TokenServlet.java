package dev.switchboard.security;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.protocol.HttpJson;
import dev.switchboard.protocol.RefusalLog;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code POST /api/token} with {@code {"username":"alice"}}: a signed, expiring chat token for that
 * name, unless another browser holds the name (409). The browser is known by an HttpOnly cookie this
 * servlet sets, so the same browser (any tab) gets fresh tokens for its name and nobody else does.
 */
@WebServlet("/api/token")
public class TokenServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 4096;
    /** The cookie naming the browser: 128 random bits, base64url. */
    static final String BROWSER_COOKIE = "switchboard-browser";
    private static final int BROWSER_ID_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    TokenService tokens;

    @Inject
    NameClaims claims;

    @Inject
    RefusalLog refusals;

    @Inject
    SwitchboardConfig config;

    /** Per client address: names cannot be taken by the hundred thousand from one place. */
    @Inject
    TokenRequests requests;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!tokens.issuesTokens()) {
            HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "tokens_external",
                    "Tokens come from this site's identity provider");
            return;
        }
        if (!requests.withinRate(request, response, "token")) {
            return;
        }
        JsonObject json = HttpJson.readObject(request, response, MAX_BODY, "Send {\"username\":\"…\"} as JSON");
        if (json == null) {
            return;
        }
        String username = HttpJson.text(json, "username");
        if (!Names.isUser(username)) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_username",
                    "A username is 1-32 letters, digits, '_', '-' or '.'");
            return;
        }
        String browser = browserOf(request);
        boolean newBrowser = browser == null;
        if (newBrowser) {
            byte[] id = new byte[BROWSER_ID_BYTES];
            RANDOM.nextBytes(id);
            browser = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        }
        String browserHash = sha256(browser);
        TokenService.Issued issued = tokens.issue(username, browserHash);
        NameClaims.Outcome outcome;
        try {
            outcome = claims.claim(username, browserHash, issued.expiresAt());
        } catch (EngineUnavailable e) {
            refusals.refused("token (503 unavailable)", "user " + username, e.getMessage());
            HttpJson.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable",
                    "Names cannot be checked right now; try again in a moment");
            return;
        }
        switch (outcome) {
            case TAKEN -> {
                refusals.refused("token (409 name_taken)", "user " + username + ", address " + request.getRemoteAddr(),
                        "held by another browser");
                HttpJson.error(response, HttpServletResponse.SC_CONFLICT, "name_taken",
                        "Someone else is using this name; choose another");
                return;
            }
            case FULL -> {
                HttpJson.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "busy",
                        "The server holds as many names as it may; try again later");
                return;
            }
            case CLAIMED -> {
                if (newBrowser) {
                    response.addCookie(browserCookie(request, browser));
                }
            }
        }
        HttpJson.write(response, HttpServletResponse.SC_OK,
                Map.of("token", issued.token(), "expiresAt", issued.expiresAt().toString()));
    }

    /** The browser id from the cookie, if it has one of the right shape. */
    private static String browserOf(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        return Arrays.stream(cookies).filter(c -> BROWSER_COOKIE.equals(c.getName())).map(Cookie::getValue)
                .filter(v -> v != null && v.matches("[A-Za-z0-9_-]{22}")).findFirst().orElse(null);
    }

    private static Cookie browserCookie(HttpServletRequest request, String browser) {
        Cookie cookie = new Cookie(BROWSER_COOKIE, browser);
        cookie.setPath(request.getContextPath() + "/api/token"); // sent nowhere else
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        cookie.setMaxAge((int) Duration.ofDays(365).toSeconds());
        cookie.setAttribute("SameSite", "Strict");
        return cookie;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java has SHA-256", e);
        }
    }
}

package dev.switchboard.security;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.protocol.HttpJson;
import dev.switchboard.protocol.RefusalLog;
import dev.switchboard.session.TokenBuckets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The checks every HTTP API that hands out or takes tokens makes: tokens asked for per address
 * ({@link Setting#TOKEN_PER_MINUTE}, one budget for chat and desk tokens), and the bearer token of a
 * request ({@code Authorization: Bearer}, never the URL, which access and proxy logs keep).
 */
@ApplicationScoped
public class TokenRequests {

    @Inject
    SwitchboardConfig config;

    @Inject
    RefusalLog refusals;

    @Inject
    TokenService tokens;

    private final TokenBuckets perAddress = new TokenBuckets();

    /** Takes one token request from the address's budget; false (and answered with 429) when it is spent. */
    public boolean withinRate(HttpServletRequest request, HttpServletResponse response, String what) throws IOException {
        int perMinute = config.positiveInt(Setting.TOKEN_PER_MINUTE);
        if (perAddress.tryTake(ClientAddress.of(request.getRemoteAddr()), perMinute / 60.0, perMinute)) {
            return true;
        }
        refusals.refused(what + " (429 rate_limited)", "address " + request.getRemoteAddr(), "too many tokens asked for");
        HttpJson.error(response, 429, "rate_limited", "Too many tokens asked for from this address; wait a minute");
        return false;
    }

    /** What {@code Authorization: Bearer <token>} carries; null without one. */
    public static String bearerOf(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }

    /** The request's verified bearer token; empty (and answered with 401) when it has none that is valid. */
    public Optional<TokenService.Verified> bearer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<TokenService.Verified> verified = tokens.verify(bearerOf(request));
        if (verified.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer");
            HttpJson.error(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token", "A valid token is required");
        }
        return verified;
    }
}

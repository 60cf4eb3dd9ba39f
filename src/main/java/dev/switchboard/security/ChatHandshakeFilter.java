package dev.switchboard.security;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.protocol.HttpJson;
import dev.switchboard.protocol.RefusalLog;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Arrays;
import java.util.Collections;
import java.util.Optional;

/**
 * Checks a chat WebSocket handshake before the upgrade: a foreign Origin gets 403, a missing, forged
 * or expired token 401, a user already at the connection cap 429, and no WebSocket is opened. An
 * accepted request goes on with the token's user as its principal, which the WebSocket session keeps.
 */
@WebFilter(urlPatterns = "/ws/chat", asyncSupported = true)
public class ChatHandshakeFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    /** A token in {@code Sec-WebSocket-Protocol} is offered as {@code token.<jwt>}, beside {@code switchboard}. */
    public static final String TOKEN_PROTOCOL_PREFIX = "token.";

    @Inject
    TokenService tokens;

    @Inject
    OriginPolicy origins;

    @Inject
    ConnectionSlots slots;

    @Inject
    RefusalLog refusals;

    @Inject
    SwitchboardConfig config;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!asksForWebSocket(request)) {
            chain.doFilter(request, response); // plain HTTP: the 426 servlet answers it
            return;
        }
        String address = "address " + request.getRemoteAddr();
        if (!origins.allows(request.getHeader("Origin"), request.getHeader("Host"))) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "forbidden_origin",
                    "This origin may not open chat connections", address + ", origin " + request.getHeader("Origin"));
            return;
        }
        Optional<TokenService.Verified> verified = tokens.verify(tokenOf(request));
        if (verified.isEmpty()) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token",
                    "A valid token is required: ?token= or Sec-WebSocket-Protocol: switchboard, token.<token>", address);
            return;
        }
        String user = verified.get().user();
        // Reserved before the upgrade, atomically: handshakes arriving together cannot all pass the cap.
        Optional<ConnectionSlots.Slot> slot = slots.reserve(user, config.positiveInt(Setting.USER_MAX_CONNECTIONS));
        if (slot.isEmpty()) {
            refuse(response, 429, "too_many_connections",
                    "This user has the most chat connections allowed open already", "user " + user + ", " + address);
            return;
        }
        ChatUser principal = new ChatUser(user, verified.get().expiresAt(), slot.get());
        try {
            chain.doFilter(new HttpServletRequestWrapper(request) {
                @Override
                public Principal getUserPrincipal() {
                    return principal;
                }
            }, response);
        } finally {
            if (response.getStatus() != HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
                slot.get().free(); // no connection came of it
            }
        }
    }

    private void refuse(HttpServletResponse response, int status, String error, String message, String who)
            throws IOException {
        refusals.refused("chat handshake (" + status + " " + error + ")", who, message);
        HttpJson.error(response, status, error, message);
    }

    /** As containers decide it: any Upgrade header whose list names websocket. */
    static boolean asksForWebSocket(HttpServletRequest request) {
        return Collections.list(request.getHeaders("Upgrade")).stream()
                .flatMap(header -> Arrays.stream(header.split(",")))
                .anyMatch(token -> token.trim().equalsIgnoreCase("websocket"));
    }

    /** The token from {@code ?token=}, or from a {@code token.}-prefixed WebSocket subprotocol. */
    static String tokenOf(HttpServletRequest request) {
        String token = request.getParameter("token");
        if (token != null) {
            return token;
        }
        return Collections.list(request.getHeaders("Sec-WebSocket-Protocol")).stream()
                .flatMap(header -> Arrays.stream(header.split(",")))
                .map(String::trim)
                .filter(p -> p.startsWith(TOKEN_PROTOCOL_PREFIX))
                .map(p -> p.substring(TOKEN_PROTOCOL_PREFIX.length()))
                .findFirst().orElse(null);
    }
}

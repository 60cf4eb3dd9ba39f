package dev.switchboard.security;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.protocol.HttpJson;
import dev.switchboard.protocol.RefusalLog;
import jakarta.enterprise.inject.Instance;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks every WebSocket handshake before the upgrade, so a refused one opens no WebSocket. On every
 * endpoint: a server at {@code switchboard.connections.max} gets 503, an address at
 * {@code switchboard.connections.per-address} 429. On the endpoints features guard with tokens
 * ({@link TokenGuarded}: chat, support) also: a foreign Origin gets 403, a missing, forged or expired
 * token 401, a token whose role the endpoint does not take 403, a user at
 * {@code switchboard.user.max-connections} 429. An accepted request goes on with an
 * {@link dev.switchboard.session.HeldPlaces} as its principal (the token's {@link VerifiedUser} on a
 * guarded endpoint), which the WebSocket session keeps and the registry holds until the connection closes.
 */
@WebFilter(urlPatterns = "/ws/*", asyncSupported = true)
public class HandshakeFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    /** A token in {@code Sec-WebSocket-Protocol} is offered as {@code token.<jwt>}, beside {@code switchboard}. */
    public static final String TOKEN_PROTOCOL_PREFIX = "token.";

    @Inject
    TokenService tokens;

    @Inject
    MeterRegistry meters;

    @Inject
    OriginPolicy origins;

    @Inject
    ConnectionPlaces places;

    @Inject
    RefusalLog refusals;

    @Inject
    SwitchboardConfig config;

    @Inject
    NameClaims claims;

    /** The endpoints features guard with tokens (chat, support). */
    @Inject
    Instance<TokenGuarded> guarded;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!asksForWebSocket(request)) {
            chain.doFilter(request, response); // plain HTTP: the 426 servlet answers it
            return;
        }
        // As the container mapped it: decoded, normalised, without path parameters (/ws/chat;x=1 is chat).
        String path = request.getServletPath() + Objects.toString(request.getPathInfo(), "");
        String address = "address " + request.getRemoteAddr();
        List<ConnectionPlaces.Place> reserved = new ArrayList<>(3);
        try {
            TokenGuarded guard = guarded.stream().filter(g -> g.path().equals(path)).findFirst().orElse(null);
            Principal principal = guard != null
                    ? admitUser(request, response, address, reserved, guard)
                    : admit(request, response, address, reserved) ? new Guest(new ReservedPlaces(reserved)) : null;
            if (principal == null) {
                return; // refused and answered; the places go back below
            }
            chain.doFilter(new HttpServletRequestWrapper(request) {
                @Override
                public Principal getUserPrincipal() {
                    return principal;
                }
            }, response);
        } finally {
            if (response.getStatus() != HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
                reserved.forEach(ConnectionPlaces.Place::free); // no connection came of it
            }
        }
    }

    /** ReservedPlaces among all connections and the address's; false (and answered) when either is full. */
    private boolean admit(HttpServletRequest request, HttpServletResponse response, String address,
            List<ConnectionPlaces.Place> reserved) throws IOException {
        Optional<ConnectionPlaces.Place> connection = places.reserveConnection(config.positiveInt(Setting.CONNECTIONS_MAX));
        if (connection.isEmpty()) {
            refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "server_full",
                    "The server has as many connections as it takes; try again later", address);
            return false;
        }
        reserved.add(connection.get());
        Optional<ConnectionPlaces.Place> fromAddress = places.reserveForAddress(ClientAddress.of(request.getRemoteAddr()),
                config.positiveInt(Setting.CONNECTIONS_PER_ADDRESS));
        if (fromAddress.isEmpty()) {
            refuse(response, 429, "too_many_connections",
                    "This address has the most connections allowed open already", address);
            return false;
        }
        reserved.add(fromAddress.get());
        return true;
    }

    /** Origin, token and its role, then places (the user's too); null (and answered) when any check fails. */
    private VerifiedUser admitUser(HttpServletRequest request, HttpServletResponse response, String address,
            List<ConnectionPlaces.Place> reserved, TokenGuarded guard) throws IOException {
        if (!origins.allows(request.getHeader("Origin"), request.getHeader("Host"))) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "forbidden_origin",
                    "This origin may not open " + guard.path(), address + ", origin " + request.getHeader("Origin"));
            return null;
        }
        Optional<TokenService.Verified> verified = tokens.verify(tokenOf(request));
        if (verified.isEmpty()) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token",
                    "A valid token is required: ?token= or Sec-WebSocket-Protocol: switchboard, token.<token>", address);
            return null;
        }
        if (!guard.admits(verified.get().role())) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "forbidden_role",
                    "A " + verified.get().role().claimValue() + " token cannot open " + guard.path(),
                    "user " + verified.get().user() + ", " + address);
            return null;
        }
        if (!admit(request, response, address, reserved)) {
            return null;
        }
        String user = verified.get().user();
        if (!claims.admits(user, verified.get().browser(), verified.get().expiresAt())) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token",
                    "This name is held by another browser now; ask for a new token", "user " + user + ", " + address);
            return null;
        }
        // Reserved before the upgrade, atomically: handshakes arriving together cannot all pass the cap.
        Optional<ConnectionPlaces.Place> place = places.reserveForUser(user, config.positiveInt(Setting.USER_MAX_CONNECTIONS));
        if (place.isEmpty()) {
            refuse(response, 429, "too_many_connections",
                    "This user has the most chat connections allowed open already", "user " + user + ", " + address);
            return null;
        }
        reserved.add(place.get());
        TokenService.Verified v = verified.get();
        return new VerifiedUser(user, v.role(), v.displayName(), v.email(), v.expiresAt(), new ReservedPlaces(reserved), v.claims());
    }

    private void refuse(HttpServletResponse response, int status, String error, String message, String who)
            throws IOException {
        refusals.refused("handshake (" + status + " " + error + ")", who, message);
        meters.counter("switchboard.handshake.refusals", "status", Integer.toString(status), "error", error).increment();
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

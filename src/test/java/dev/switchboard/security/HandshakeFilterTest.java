package dev.switchboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.memory.InMemoryEngine;
import dev.switchboard.protocol.RefusalLog;
import dev.switchboard.testing.HttpExchange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.inject.Instance;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Every WebSocket handshake is checked before the upgrade: the server's and the address's caps on
 * every endpoint; origin, token, role and the user's cap on a guarded one; places given back when no
 * connection came of the handshake.
 */
class HandshakeFilterTest {

    private static final String SECRET = "a-unit-test-secret-of-32-bytes-or-more!";
    /** An endpoint a feature guards with tokens, and the roles it takes. */
    private record Guard(String path, Predicate<Role> takes) implements TokenGuarded {
        @Override
        public boolean admits(Role role) {
            return takes.test(role);
        }
    }

    /** A guarded endpoint that customers may not open. */
    private static final TokenGuarded GUARDED = new Guard("/ws/guarded", role -> role != Role.CUSTOMER);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Map<String, String> settings = new HashMap<>(Map.of("switchboard.token.secret", SECRET));
    private HandshakeFilter filter;
    private TokenService tokens;
    /** What the chain got: the request as it went on, or null if the handshake stopped in the filter. */
    private ServletRequest passedOn;

    /** The filter as the server wires it, with these settings besides the token secret. */
    private void filterWith(String... moreSettings) {
        for (int i = 0; i < moreSettings.length; i += 2) {
            settings.put(moreSettings[i], moreSettings[i + 1]);
        }
        SwitchboardConfig config = SwitchboardConfig.of(settings);
        tokens = new TokenService();
        tokens.config = config;
        tokens.clock = Clock.systemUTC();
        tokens.readSettings();
        OriginPolicy origins = new OriginPolicy();
        origins.config = config;
        origins.readSettings();
        ConnectionPlaces places = new ConnectionPlaces();
        InMemoryEngine engine = InMemoryEngine.create(config);
        places.everywhere = engine.places();
        places.executors = new dev.switchboard.config.ServerExecutors();
        NameClaims claims = new NameClaims();
        claims.config = config;
        claims.places = places;
        claims.holds = engine.holds();
        claims.keepers = List.of();
        claims.clock = Clock.systemUTC();
        claims.readSettings();
        filter = new HandshakeFilter();
        filter.tokens = tokens;
        filter.meters = meters;
        filter.origins = origins;
        filter.places = places;
        filter.refusals = new RefusalLog();
        filter.config = config;
        filter.claims = claims;
        filter.guarded = guards(GUARDED);
    }

    /** The CDI instance of the guards features declare; the filter only streams it. */
    @SuppressWarnings("unchecked")
    private static Instance<TokenGuarded> guards(TokenGuarded... all) {
        return (Instance<TokenGuarded>) Proxy.newProxyInstance(HandshakeFilterTest.class.getClassLoader(),
                new Class<?>[] {Instance.class}, (self, method, args) -> switch (method.getName()) {
                    case "stream" -> List.of(all).stream();
                    case "iterator" -> List.of(all).iterator();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static HttpExchange handshake(String path) {
        int slash = path.indexOf('/', 1);
        return new HttpExchange().path(path.substring(0, slash), path.substring(slash)).header("Upgrade", "websocket");
    }

    /** Runs the handshake through the filter; the chain upgrades it (101) when {@code upgrades}. */
    private HttpExchange run(HttpExchange exchange, boolean upgrades) throws IOException, ServletException {
        passedOn = null;
        filter.doFilter(exchange.request, exchange.response, (request, response) -> {
            passedOn = request;
            if (upgrades) {
                ((HttpServletResponse) response).setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
            }
        });
        return exchange;
    }

    private HttpExchange upgrade(HttpExchange exchange) throws IOException, ServletException {
        return run(exchange, true);
    }

    private Principal principal() {
        return ((HttpServletRequest) passedOn).getUserPrincipal();
    }

    private void assertRefused(HttpExchange answered, int status, String error) {
        assertNull(passedOn, "no upgrade after a refusal");
        assertEquals(status, answered.status(), answered.body());
        assertEquals(error, answered.json().getString("error"), answered.body());
        assertEquals(1.0, meters.counter("switchboard.handshake.refusals", "status", Integer.toString(status),
                "error", error).count(), "counted by status and error");
    }

    private String userToken(String user) {
        return tokens.issue(user, "browser-of-" + user).token();
    }

    @Test
    void plainHttpGoesOnUntouchedForTheUpgradeRequiredServlet() throws Exception {
        filterWith();
        HttpExchange plain = new HttpExchange().path("/ws", "/guarded");
        run(plain, false);
        assertSame(plain.request, passedOn, "no token asked for, no principal given: the request as it came");
    }

    @Test
    void anUpgradeHeaderThatListsWebsocketAmongOthersIsAHandshake() throws Exception {
        filterWith();
        upgrade(new HttpExchange().path("/ws", "/echo").header("Upgrade", "h2c, WebSocket"));
        assertInstanceOf(Guest.class, principal());
    }

    @Test
    void aFullServerAnswers503AndAPlaceComesBackWhenNoConnectionCameOfAHandshake() throws Exception {
        filterWith("switchboard.connections.max", "1");
        run(handshake("/ws/echo"), false); // passed the filter, but the upgrade failed: the place comes back
        upgrade(handshake("/ws/echo"));
        assertInstanceOf(Guest.class, principal());
        assertRefused(upgrade(handshake("/ws/echo")), 503, "server_full");
    }

    @Test
    void anAddressAtItsCapAnswers429WhileOtherAddressesAreServed() throws Exception {
        filterWith("switchboard.connections.max", "2", "switchboard.connections.per-address", "1");
        upgrade(handshake("/ws/echo").from("198.51.100.7"));
        assertRefused(upgrade(handshake("/ws/echo").from("198.51.100.7")), 429, "too_many_connections");
        upgrade(handshake("/ws/echo").from("198.51.100.8"));
        assertInstanceOf(Guest.class, principal(), "the refused handshake gave its place among all connections back");
    }

    @Test
    void aGuardedEndpointTakesATokenOnTheQueryOrAsASubprotocolAndNamesItsUser() throws Exception {
        filterWith();
        upgrade(handshake("/ws/guarded").parameter("token", userToken("alice")));
        VerifiedUser alice = assertInstanceOf(VerifiedUser.class, principal());
        assertEquals("alice", alice.name());
        assertEquals(Role.USER, alice.role());
        assertTrue(alice.expiresAt().isAfter(Instant.now()));
        upgrade(handshake("/ws/guarded").header("Sec-WebSocket-Protocol", "switchboard, token." + userToken("bob")));
        assertEquals("bob", principal().getName());
    }

    @Test
    void aMissingOrForgedTokenAnswers401() throws Exception {
        filterWith();
        assertRefused(upgrade(handshake("/ws/guarded")), 401, "invalid_token");
        String forged = userToken("alice").replaceFirst("\\.[^.]*$", ".c2lnbmF0dXJl");
        assertEquals(401, upgrade(handshake("/ws/guarded").parameter("token", forged)).status());
    }

    @Test
    void aForeignOriginAnswers403AndTheServersOwnOriginOrNoneIsServed() throws Exception {
        filterWith();
        HttpExchange foreign = handshake("/ws/guarded").parameter("token", userToken("alice"))
                .header("Origin", "https://evil.example").header("Host", "chat.example");
        assertRefused(upgrade(foreign), 403, "forbidden_origin");
        upgrade(handshake("/ws/guarded").parameter("token", userToken("alice"))
                .header("Origin", "https://chat.example").header("Host", "chat.example"));
        assertEquals("alice", principal().getName());
        upgrade(handshake("/ws/guarded").parameter("token", userToken("alice")));
        assertEquals("alice", principal().getName(), "no Origin: not a browser, nothing to check");
    }

    @Test
    void aTokenWhoseRoleTheEndpointDoesNotTakeAnswers403() throws Exception {
        filterWith();
        String customer = tokens.issueSupport("carol", Role.CUSTOMER, "Carol", null).token();
        assertRefused(upgrade(handshake("/ws/guarded").parameter("token", customer)), 403, "forbidden_role");
        String agent = tokens.issueSupport("ann", Role.AGENT, null, null).token();
        upgrade(handshake("/ws/guarded").parameter("token", agent));
        assertEquals(Role.AGENT, ((VerifiedUser) principal()).role());
    }

    @Test
    void aUserAtTheirCapAnswers429AndAPlaceComesBackWhenNoConnectionCameOfIt() throws Exception {
        filterWith("switchboard.user.max-connections", "1");
        run(handshake("/ws/guarded").parameter("token", userToken("alice")), false);
        upgrade(handshake("/ws/guarded").parameter("token", userToken("alice")));
        assertEquals("alice", principal().getName(), "the failed upgrade gave alice's place back");
        assertRefused(upgrade(handshake("/ws/guarded").parameter("token", userToken("alice"))), 429, "too_many_connections");
        upgrade(handshake("/ws/guarded").parameter("token", userToken("bob")));
        assertEquals("bob", principal().getName(), "bob has his own cap");
    }

    @Test
    void aTokenForANameAnotherBrowserHoldsNowAnswers401() throws Exception {
        filterWith();
        String fromOldBrowser = tokens.issue("alice", "browser-old").token();
        filter.claims.claim("alice", "browser-new", Instant.now().plusSeconds(3600)); // alice's name went to a new browser
        assertRefused(upgrade(handshake("/ws/guarded").parameter("token", fromOldBrowser)), 401, "invalid_token");
    }

    @Test
    void theEndpointIsFoundAsTheContainerMappedItWithoutPathParameters() throws Exception {
        filterWith();
        // /ws/guarded;x=1 reaches the filter as servlet path /ws and path info /guarded.
        assertEquals(401, upgrade(new HttpExchange().path("/ws", "/guarded").header("Upgrade", "websocket")).status());
        assertEquals(401, upgrade(new HttpExchange().path("/ws/guarded", null).header("Upgrade", "websocket")).status(),
                "the same endpoint however the container splits the path");
    }
}

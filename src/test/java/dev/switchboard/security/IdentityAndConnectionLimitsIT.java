package dev.switchboard.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.RawWebSocket;
import dev.switchboard.testing.TestClient;
import dev.switchboard.testing.Tokens;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may connect, and for how long, on one deployment: tokens, origins and the per-user cap at the chat
 * handshake; connections bounded per client address and in all; a connection's end with its token, a
 * name kept by the browser that took it, and token requests bounded per address. The three groups below
 * were classes of their own, each booting a server of its own (a JVM per class on Payara Micro). The
 * connection-limit tests fill the caps, which count every connection on the server, and count the
 * server's connections exactly: every test closes what it opened and waits for the server to see it
 * gone before the next one runs.
 */
class IdentityAndConnectionLimitsIT extends InServerTest {

    // The connection-limit tests' raw connections (empty in the others' tests), and the one clean-up of all.

    private final List<RawWebSocket> opened = new CopyOnWriteArrayList<>();
    /** Raw clients answer no pings: unsolicited pongs keep them from the idle timeout (3 s in tests) while more open. */
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void keepOpenedAlive() {
        keepAlive.scheduleAtFixedRate(() -> {
            for (RawWebSocket connection : opened) {
                try {
                    connection.send(RawWebSocket.OP_PONG, new byte[0]);
                } catch (IOException closed) {
                    opened.remove(connection);
                }
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** Closes what a test left open, then waits until the server has let every connection go: the caps count them all. */
    @AfterEach
    void closeAll() throws Exception {
        keepAlive.shutdownNow();
        keepAlive.awaitTermination(5, TimeUnit.SECONDS);
        for (RawWebSocket connection : opened) {
            connection.close();
        }
        awaitNoConnections();
    }

    // ---- Chat identity (was ChatIdentityIT) ----
    // Who may open a chat connection: tokens, origins and the per-user cap, checked at the handshake.

    private static final String SECRET = Tokens.SECRET;

    private static String mint(String user, Instant expires, String secret) throws Exception {
        return Tokens.mint(user, expires, secret);
    }

    private int handshake(String query, Map<String, String> headers) throws Exception {
        URI uri = server.ws("ws/chat" + (query == null ? "" : "?" + query));
        return RawWebSocket.handshakeStatus(uri, headers);
    }

    @Test
    void theTokenApiIssuesASignedExpiringTokenForAValidName() throws Exception {
        HttpResponse<String> response = server.post("api/token", "{\"username\":\"alice.b-1_\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonObject body = ChatClient.parse(response.body());
        assertEquals(3, body.getString("token").split("\\.").length, "a JWT");
        assertTrue(Instant.parse(body.getString("expiresAt")).isAfter(Instant.now()));
    }

    @Test
    void badNamesAndBadBodiesAreRefusedWith400AndAJsonError() throws Exception {
        for (String body : List.of("{\"username\":\"\"}", "{\"username\":\"has space\"}", "{\"username\":\"<script>\"}",
                "{\"username\":\"" + "x".repeat(33) + "\"}", "{\"username\":42}", "{}", "not json", "[]")) {
            HttpResponse<String> response = server.post("api/token", body);
            assertEquals(400, response.statusCode(), body);
            assertTrue(ChatClient.parse(response.body()).containsKey("error"), response.body());
        }
    }

    @Test
    void aValidTokenOpensAChatConnectionAsItsUser() throws Exception {
        try (ChatClient alice = ChatClient.connect(server, "alice")) {
            JsonObject welcome = alice.next("welcome");
            assertEquals("alice", welcome.getString("user"));
            assertTrue(welcome.getString("node").matches("[A-Za-z0-9_-]{1,32}"), "the node it reached: " + welcome);
        }
    }

    @Test
    void aTokenInTheSubprotocolHeaderWorksAndKeepsTheUrlClean() throws Exception {
        try (ChatClient bob = ChatClient.connectWithProtocolToken(server, "bob")) {
            assertEquals("bob", bob.next("welcome").getString("user"));
            assertEquals("switchboard", bob.ws.subprotocol());
        }
    }

    @Test
    void missingForgedAndExpiredTokensAreRefusedBeforeTheUpgrade() throws Exception {
        String valid = server.token("mallory");
        String[] parts = valid.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertEquals(101, handshake("token=" + valid, Map.of()), "a valid token is accepted");
        assertEquals(401, handshake(null, Map.of()), "no token");
        assertEquals(401, handshake("token=not-a-jwt", Map.of()), "garbage");
        assertEquals(401, handshake("token=" + tampered, Map.of()), "tampered payload");
        assertEquals(401, handshake("token=" + mint("mallory", Instant.now().plusSeconds(600),
                "another-secret-of-at-least-32-bytes-xxxxxxxx"), Map.of()), "signed with another key");
        assertEquals(401, handshake("token=" + mint("mallory", Instant.now().minusSeconds(120), SECRET), Map.of()), "expired");
        assertEquals(101, handshake("token=" + mint("mallory", Instant.now().plusSeconds(120), SECRET), Map.of()),
                "the same key, not expired");
    }

    @Test
    void aForeignOriginIsRefusedWith403AndTheServersOwnIsAccepted() throws Exception {
        String token = server.token("olivia");
        URI own = server.http("");
        String ownOrigin = own.getScheme() + "://" + own.getHost() + ":" + own.getPort();
        assertEquals(403, handshake("token=" + token, Map.of("Origin", "https://evil.example")));
        assertEquals(403, handshake("token=" + token, Map.of("Origin", "http://127.0.0.1:1")));
        assertEquals(101, handshake("token=" + token, Map.of("Origin", ownOrigin)));
    }

    @Test
    void connectionsPerUserAreCapped() throws Exception {
        List<ChatClient> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                ChatClient tab = ChatClient.connect(server, "tabby");
                tab.next("welcome");
                tabs.add(tab);
            }
            assertEquals(429, handshake("token=" + server.token("tabby"), Map.of()), "the eleventh connection");
            assertEquals(101, handshake("token=" + server.token("someone-else"), Map.of()), "other users are not affected");
        } finally {
            for (ChatClient tab : tabs) {
                tab.close();
            }
        }
    }

    @Test
    void handshakesArrivingTogetherCannotPassTheCap() throws Exception {
        String token = server.token("crowd");
        URI uri = server.ws("ws/chat?token=" + token);
        int attempts = 30;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<RawWebSocket>> tries = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            tries.add(pool.submit(() -> {
                start.await();
                return RawWebSocket.connect(uri, 0);
            }));
        }
        start.countDown();
        List<RawWebSocket> opened = new ArrayList<>();
        int refused = 0;
        try {
            for (Future<RawWebSocket> attempt : tries) {
                try {
                    opened.add(attempt.get(30, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    assertTrue(e.getCause().getMessage().contains("429"), "refused before the upgrade: " + e.getCause());
                    refused++;
                }
            }
            assertEquals(10, opened.size(), "exactly the cap got a 101");
            assertEquals(attempts - 10, refused);
            for (RawWebSocket connection : opened) {
                RawWebSocket.Received first = connection.read();
                assertTrue(first.opcode() == RawWebSocket.OP_TEXT && first.text().contains("welcome"),
                        "every accepted one stays open and is welcomed, none is closed after the 101");
            }
        } finally {
            for (RawWebSocket connection : opened) {
                connection.close();
            }
            pool.shutdownNow();
        }
        await("the places are given back as the connections close").atMost(Duration.ofSeconds(15))
                .until(() -> handshake("token=" + token, Map.of()) == 101);
    }

    @Test
    void theMembersApiNeedsAValidToken() throws Exception {
        try (ChatClient alice = ChatClient.connect(server, "alice", "room=api-room");
             ChatClient bob = ChatClient.connect(server, "bob", "room=api-room")) {
            alice.next("joined");
            bob.next("joined");
            HttpResponse<String> response = server.get("api/rooms/api-room/members", server.token("carol"));
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(List.of("alice", "bob"), ChatClient.parse(response.body()).getJsonArray("members")
                    .getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());
            assertEquals(401, server.get("api/rooms/api-room/members").statusCode());
            assertEquals(401, server.get("api/rooms/api-room/members", "forged").statusCode());
        }
    }

    // ---- Connection limits (was ConnectionLimitsIT) ----
    // Connections are bounded per client address and in all, on every endpoint (echo and clock take no
    // token), before the upgrade. The test servers take 320 per address and 800 in all; the test is
    // several clients by connecting from several loopback addresses.

    private static final int PER_ADDRESS = 320;
    private static final int TOTAL = 800;

    /** Opens connections from the address until one is refused; the refusal (null if none within {@code most}). */
    private RawWebSocket.Attempt openUntilRefused(String fromLoopback, int most) throws IOException {
        for (int i = 0; i < most; i++) {
            RawWebSocket.Attempt attempt = RawWebSocket.attemptFrom(server.ws(i % 2 == 0 ? "ws/echo" : "ws/clock"), fromLoopback);
            if (attempt.status() != 101) {
                return attempt;
            }
            opened.add(attempt.connection());
        }
        return null;
    }

    @Test
    void anAddressPastItsShareGets429AndOtherAddressesAreServed() throws Exception {
        RawWebSocket.Attempt refused = openUntilRefused("127.0.0.21", PER_ADDRESS + 5);
        assertNotNull(refused, "refused before " + (PER_ADDRESS + 5));
        assertEquals(PER_ADDRESS, opened.size(), "exactly the address's share was let in");
        assertEquals(429, refused.status(), refused.body());
        assertTrue(refused.body().contains("\"too_many_connections\""), refused.body());

        RawWebSocket.Attempt other = RawWebSocket.attemptFrom(server.ws("ws/echo"), "127.0.0.22");
        assertEquals(101, other.status(), "another address is served: " + other.body());
        opened.add(other.connection());

        opened.remove(0).close();
        await("the closed connection's place is given back").atMost(Duration.ofSeconds(10)).until(() -> {
            RawWebSocket.Attempt again = RawWebSocket.attemptFrom(server.ws("ws/echo"), "127.0.0.21");
            if (again.status() == 101) {
                opened.add(again.connection());
            }
            return again.status() == 101;
        });
    }

    @Test
    void theServerPastItsTotalGets503() throws Exception {
        RawWebSocket.Attempt refused = null;
        for (int address = 31; address <= 33 && refused == null; address++) {
            refused = openUntilRefused("127.0.0." + address, PER_ADDRESS);
        }
        assertNotNull(refused, "three addresses' shares are more than the total");
        assertEquals(503, refused.status(), refused.body());
        assertTrue(refused.body().contains("\"server_full\""), refused.body());
        await("every place taken is an open connection").atMost(Duration.ofSeconds(10))
                .until(() -> server.probe("connections") == TOTAL);
        assertTrue(opened.size() <= TOTAL);
        List<RawWebSocket> closing = List.copyOf(opened);
        opened.clear();
        for (RawWebSocket connection : closing) {
            connection.close();
        }
        await("the places come back as connections close").atMost(Duration.ofSeconds(10))
                .until(() -> server.probe("connections") == 0);
        echoStillServes();
    }

    // ---- Identity lifetime (was IdentityLifetimeIT) ----
    // A connection ends with its token unless the client refreshes it; a name stays with the browser that took it.

    private static Instant secondsFromNow(long seconds) {
        return Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS); // a token's exp has seconds only
    }

    @Test
    void aConnectionIsClosedWith4002WhenItsTokenExpires() throws Exception {
        Instant expires = secondsFromNow(3);
        try (ChatClient ivy = ChatClient.connectWithToken(server, "ivy", Tokens.mint("ivy", expires))) {
            ivy.next("welcome");
            CloseReason reason = ivy.ws.awaitClose();
            assertEquals(4002, reason.getCloseCode().getCode(), reason.toString());
            assertFalse(Instant.now().isBefore(expires), "closed at the expiry, not before it");
        }
        echoStillServes();
    }

    @Test
    void aRefreshedConnectionOutlivesItsFirstToken() throws Exception {
        Instant first = secondsFromNow(6);
        try (ChatClient ivan = ChatClient.connectWithToken(server, "ivan", Tokens.mint("ivan", first))) {
            ivan.next("welcome");
            Instant later = secondsFromNow(3600);
            ivan.send(Map.of("type", "refresh", "token", Tokens.mint("ivan", later), "cid", "r1"));
            JsonObject refreshed = ivan.next("refreshed");
            assertEquals("r1", refreshed.getString("cid"));
            assertEquals(later, Instant.parse(refreshed.getString("expiresAt")));
            await("the first token's expiry and a heartbeat round have passed").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100)).until(() -> Instant.now().isAfter(first.plusSeconds(1)));
            ivan.send(Map.of("type", "ping", "cid", "still-there"));
            assertEquals("still-there", ivan.next("pong").getString("cid"), "the connection lives on");
        }
    }

    @Test
    void aRefreshWithABadTokenOrAnotherUsersIsRefusedAndTheOldExpiryStands() throws Exception {
        Instant expires = secondsFromNow(6);
        try (ChatClient jo = ChatClient.connectWithToken(server, "jo", Tokens.mint("jo", expires))) {
            jo.next("welcome");
            Map<String, String> refusedTokens = Map.of(
                    "someone-else", Tokens.mint("someone", secondsFromNow(3600)),
                    "garbage", "not-a-token",
                    "expired", Tokens.mint("jo", Instant.now().minusSeconds(600)),
                    "forged", Tokens.mint("jo", secondsFromNow(3600), "another-secret-of-at-least-32-bytes-xxxxxxxx"));
            for (Map.Entry<String, String> refused : refusedTokens.entrySet()) {
                jo.send(Map.of("type", "refresh", "token", refused.getValue(), "cid", refused.getKey()));
                JsonObject error = jo.next("error");
                assertEquals("invalid_token", error.getString("code"), refused.getKey());
                assertEquals(refused.getKey(), error.getString("cid"));
            }
            jo.send(Map.of("type", "refresh", "cid", "none"));
            assertEquals("invalid_token", jo.next("error").getString("code"), "no token at all");
            assertEquals(4002, jo.ws.awaitClose().getCloseCode().getCode(), "closed at the first token's expiry");
        }
    }

    private HttpResponse<String> askForToken(HttpClient browser, String name) throws Exception {
        return browser.send(HttpRequest.newBuilder(server.http("api/token")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aNameHeldByAnotherBrowserIsRefusedWith409AndItsOwnBrowserGetsItAgain() throws Exception {
        server.token("kept-name"); // the test's own browser takes the name
        HttpClient otherBrowser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        HttpResponse<String> refused = askForToken(otherBrowser, "kept-name");
        assertEquals(409, refused.statusCode(), refused.body());
        assertEquals("name_taken", ChatClient.parse(refused.body()).getString("error"));

        HttpResponse<String> own = askForToken(otherBrowser, "other-name");
        assertEquals(200, own.statusCode(), own.body());
        String cookie = own.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("switchboard-browser="), cookie);
        for (String attribute : new String[] {"HttpOnly", "SameSite=Strict", "Path=" + server.http("api/token").getPath()}) {
            assertTrue(cookie.toLowerCase().contains(attribute.toLowerCase()), attribute + " in " + cookie);
        }
        assertEquals(200, askForToken(otherBrowser, "other-name").statusCode(), "the same browser, a fresh token");
        assertTrue(askForToken(otherBrowser, "other-name").headers().firstValue("Set-Cookie").isEmpty(),
                "a browser that has its cookie is not given another");
        assertEquals(409, askForToken(HttpClient.newHttpClient(), "other-name").statusCode(), "nor a third browser");
        server.token("kept-name"); // and the first browser still gets its own
    }

    /** POST /api/token from a loopback address of the test's choosing, on one new connection: the status. */
    private int askForTokenFrom(String fromLoopback, String name) throws Exception {
        String body = "{\"username\":\"" + name + "\"}";
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(fromLoopback, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", server.http("").getPort()), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + server.http("api/token").getRawPath() + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void oneAddressAskingForTokensByTheThousandIsRefusedWith429AndOthersAreServed() throws Exception {
        int perMinute = 1000; // the test servers' switchboard.token.per-minute
        int refusedAt = -1;
        for (int i = 0; i < 2 * perMinute && refusedAt < 0; i++) { // it refills meanwhile, at 1000 a minute
            int status = askForTokenFrom("127.0.0.41", "taker" + i);
            if (status != 200) {
                assertEquals(429, status, "request " + i);
                refusedAt = i;
            }
        }
        assertTrue(refusedAt >= perMinute, "the burst was given, and then some were refused: refused at " + refusedAt);
        assertEquals(200, askForTokenFrom("127.0.0.42", "from-elsewhere"), "another address is served");
    }
}

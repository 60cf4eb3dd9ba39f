package dev.switchboard.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.Tokens;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A connection ends with its token unless the client refreshes it; a name stays with the browser that took it. */
class IdentityLifetimeIT extends InServerTest {

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

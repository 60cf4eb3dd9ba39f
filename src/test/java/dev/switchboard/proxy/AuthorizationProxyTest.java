package dev.switchboard.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testing.SiteBackEnd;
import dev.switchboard.testing.SiteBackEnd.Answer;
import dev.switchboard.testing.SiteBackEnd.Received;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The authorization proxy against a real back end on loopback: what it asks, signed, and how it takes each answer. */
class AuthorizationProxyTest {

    static final String SECRET = "proxy-test-secret-0123456789";
    private static final Map<String, Object> CLAIMS = Map.of("sub", "ann", "exp", new Date(1_900_000_000_000L),
            "grants", Map.of("team:*", List.of("join")), "plan", "gold");

    private final SiteBackEnd backEnd;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong(1_000);

    AuthorizationProxyTest() throws Exception {
        backEnd = SiteBackEnd.start(0, SECRET);
    }

    @AfterEach
    void close() {
        backEnd.close();
    }

    /** A proxy asking the test's back end, with these settings besides its URL and the secret. */
    private AuthorizationProxy proxy(String... namesAndValues) {
        Map<String, String> settings = new HashMap<>(Map.of("switchboard.proxy.url", backEnd.url(),
                "switchboard.webhooks.secret", SECRET));
        for (int i = 0; i < namesAndValues.length; i += 2) {
            settings.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return proxy(settings);
    }

    private AuthorizationProxy proxy(Map<String, String> settings) {
        AuthorizationProxy proxy = new AuthorizationProxy();
        proxy.config = SwitchboardConfig.of(settings);
        proxy.node = NodeId.of("node-a");
        proxy.meters = meters;
        proxy.nanoTime = nanos::get;
        proxy.readSettings();
        return proxy;
    }

    private Received asked() throws InterruptedException {
        Received received = backEnd.next(5);
        assertNotNull(received, "the back end was asked within 5 s");
        assertTrue(received.signed(), "signed with the secret: " + received);
        assertEquals("application/json", received.contentType());
        return received;
    }

    private double counted(String type, String result) {
        var counter = meters.find("switchboard.proxy.requests").tag("type", type).tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aJoinIsAskedWithTheUserTheRoomTheTokensClaimsAndTheNodeSignedAndAllowed() throws Exception {
        ProxyAnswer answer = proxy().join("ann", "team:42", CLAIMS);
        assertEquals(ProxyAnswer.ALLOWED, answer);
        Received received = asked();
        assertEquals("join", received.type());
        assertEquals("ann", received.body().getString("user"));
        assertEquals("team:42", received.body().getString("room"));
        assertEquals("node-a", received.body().getString("node"));
        assertEquals("gold", received.body().getJsonObject("claims").getString("plan"), received.body().toString());
        assertEquals(1_900_000_000L, received.body().getJsonObject("claims").getJsonNumber("exp").longValue(),
                "times as the token has them, seconds since the epoch");
        assertEquals("join", received.body().getJsonObject("claims").getJsonObject("grants").getJsonArray("team:*").getString(0));
        assertFalse(received.body().containsKey("text"), received.toString());
        assertEquals(1, counted("join", "allow"));
    }

    @Test
    void aDenialCarriesTheBackEndsReasonCutToTwoHundredCharacters() throws Exception {
        AuthorizationProxy proxy = proxy();
        backEnd.answer(body -> Answer.json("{\"result\":\"deny\",\"reason\":\"Members only\"}"));
        ProxyAnswer denied = proxy.join("bob", "team:42", Map.of());
        assertEquals(new ProxyAnswer(ProxyAnswer.Verdict.DENY, "Members only", null, null), denied);
        backEnd.answer(body -> Answer.json("{\"result\":\"deny\",\"reason\":\"" + "x".repeat(500) + "\"}"));
        assertEquals(200, proxy.join("bob", "team:43", Map.of()).reason().length());
        backEnd.answer(body -> Answer.json("{\"result\":\"deny\"}"));
        assertEquals("Refused by the site", proxy.join("bob", "team:44", Map.of()).reason(), "no reason given");
        assertEquals(3, counted("join", "deny"));
        assertTrue(asked().signed() && asked().signed() && asked().signed());
    }

    @Test
    void aSayIsAskedWithItsTextAndMayComeBackEdited() throws Exception {
        AuthorizationProxy proxy = proxy();
        backEnd.answer(body -> Answer.json("{\"result\":\"allow\",\"text\":\""
                + body.getString("text").replace("darn", "****") + "\"}"));
        ProxyAnswer answer = proxy.say("ann", "lobby", "darn it", 100, CLAIMS);
        assertTrue(answer.allowed());
        assertEquals("**** it", answer.text());
        Received received = asked();
        assertEquals("say", received.type());
        assertEquals("darn it", received.body().getString("text"));
        assertEquals("lobby", received.body().getString("room"));
    }

    @Test
    void noAnswerWithinTheTimeoutRefusesWhenTheProxyFailsClosed() throws Exception {
        AuthorizationProxy proxy = proxy("switchboard.proxy.timeout", "300ms");
        backEnd.answer(body -> new Answer(200, "{\"result\":\"allow\"}", true));
        long started = System.nanoTime();
        ProxyAnswer answer = proxy.join("ann", "lobby", Map.of());
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(ProxyAnswer.Verdict.UNAVAILABLE, answer.verdict());
        assertTrue(waited.toMillis() >= 300 && waited.toMillis() < 3_000, "waited the timeout, not more: " + waited);
        assertTrue(asked().signed());
        assertEquals(1, counted("join", "failed"));
    }

    @Test
    void noAnswerWithinTheTimeoutAllowsWhenTheProxyFailsOpen() throws Exception {
        AuthorizationProxy proxy = proxy("switchboard.proxy.timeout", "300ms", "switchboard.proxy.fail", "open");
        backEnd.answer(body -> new Answer(200, "{\"result\":\"deny\"}", true));
        assertEquals(ProxyAnswer.ALLOWED, proxy.say("ann", "lobby", "hello", 100, Map.of()));
        assertTrue(asked().signed());
        assertEquals(1, counted("say", "failed"));
    }

    @Test
    void aStatusOtherThan2xxOrABodyThatIsNoAnswerIsAFailure() throws Exception {
        AuthorizationProxy proxy = proxy();
        for (Answer failing : List.of(new Answer(500, "{\"result\":\"allow\"}", false), new Answer(302, "", false),
                Answer.json("not json"), Answer.json("{\"result\":\"maybe\"}"), Answer.json("[\"allow\"]"),
                Answer.json("{\"result\":\"allow\",\"text\":42}"), Answer.json("{\"result\":\"allow\",\"text\":\"\"}"),
                Answer.json("{\"result\":\"allow\",\"text\":\"" + "é".repeat(51) + "\"}"))) {
            backEnd.answer(body -> failing);
            assertEquals(ProxyAnswer.Verdict.UNAVAILABLE, proxy.say("ann", "lobby", "hi", 100, Map.of()).verdict(), failing.toString());
            assertTrue(asked().signed());
        }
        assertEquals(8, counted("say", "failed"), "an edit that is empty, or over the 100 bytes allowed, is no answer");
    }

    @Test
    void aJoinsAnswerIsKeptForTheCacheTimeAndASaysNever() throws Exception {
        AuthorizationProxy proxy = proxy("switchboard.proxy.cache", "30s");
        backEnd.answer(body -> Answer.json("{\"result\":\"deny\",\"reason\":\"Not yet\"}"));
        assertEquals("Not yet", proxy.join("ann", "team:1", Map.of()).reason());
        asked();
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertEquals("Not yet", proxy.join("ann", "team:1", Map.of()).reason(), "the kept answer");
        assertEquals(0, backEnd.waiting(), "no second request within the cache time");
        proxy.join("bob", "team:1", Map.of());
        assertEquals("bob", asked().body().getString("user"), "kept per user and room");
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        backEnd.answer(body -> Answer.json("{\"result\":\"allow\"}"));
        assertTrue(proxy.join("ann", "team:1", Map.of()).allowed(), "asked again once the kept answer is 30 s old");
        asked();
        proxy.say("ann", "team:1", "one", 100, Map.of());
        proxy.say("ann", "team:1", "one", 100, Map.of());
        assertEquals("one", asked().body().getString("text"));
        assertEquals("one", asked().body().getString("text"), "each say is asked");
    }

    @Test
    void failuresAreNotKept() throws Exception {
        AuthorizationProxy proxy = proxy("switchboard.proxy.cache", "30s");
        backEnd.answer(body -> new Answer(503, "", false));
        assertEquals(ProxyAnswer.Verdict.UNAVAILABLE, proxy.join("ann", "team:1", Map.of()).verdict());
        backEnd.answer(body -> Answer.json("{\"result\":\"allow\"}"));
        assertTrue(proxy.join("ann", "team:1", Map.of()).allowed());
        asked();
        asked();
    }

    @Test
    void aConnectIsAskedWithoutARoomAndMayGiveTheUsersInfoOfAKilobyteAtMost() throws Exception {
        AuthorizationProxy proxy = proxy("switchboard.proxy.connect", "true");
        assertTrue(proxy.asksAtConnect());
        String info = "{\"name\":\"Ann Lee\",\"avatar\":\"https://example.com/ann.png\",\"roles\":[\"staff\"]}";
        backEnd.answer(body -> Answer.json("{\"result\":\"allow\",\"info\":" + info + "}"));
        ProxyAnswer answer = proxy.connect("ann", CLAIMS);
        assertEquals(info, answer.info().toString());
        Received received = asked();
        assertEquals("connect", received.type());
        assertFalse(received.body().containsKey("room"), received.toString());
        backEnd.answer(body -> Answer.json("{\"result\":\"allow\",\"info\":{\"name\":\"" + "a".repeat(1100) + "\"}}"));
        assertEquals(ProxyAnswer.Verdict.UNAVAILABLE, proxy.connect("ann", CLAIMS).verdict(), "info over 1 KB is no answer");
        backEnd.answer(body -> Answer.json("{\"result\":\"allow\",\"text\":\"ignored\"}"));
        assertNull(proxy.connect("ann", CLAIMS).text(), "fields a type does not use are ignored");
    }

    @Test
    void withoutAUrlNobodyIsAskedAndEverythingIsAllowed() {
        AuthorizationProxy proxy = proxy(Map.of());
        assertFalse(proxy.enabled());
        assertEquals(ProxyAnswer.ALLOWED, proxy.join("ann", "lobby", Map.of()));
    }

    @Test
    void aProxyWithoutItsSecretOrWithABadSettingStopsTheStartNamingTheSetting() {
        String noSecret = assertThrows(IllegalStateException.class,
                () -> proxy(Map.of("switchboard.proxy.url", backEnd.url()))).getMessage();
        assertTrue(noSecret.contains("switchboard.webhooks.secret"), noSecret);
        String shortSecret = assertThrows(IllegalStateException.class,
                () -> proxy("switchboard.webhooks.secret", "too-short")).getMessage();
        assertTrue(shortSecret.contains("switchboard.webhooks.secret") && shortSecret.contains("16 bytes"), shortSecret);
        String fail = assertThrows(IllegalStateException.class, () -> proxy("switchboard.proxy.fail", "maybe")).getMessage();
        assertTrue(fail.contains("switchboard.proxy.fail"), fail);
        String url = assertThrows(IllegalStateException.class, () -> proxy("switchboard.proxy.url", "ftp://site")).getMessage();
        assertTrue(url.contains("switchboard.proxy.url"), url);
        String connect = assertThrows(IllegalStateException.class,
                () -> proxy(Map.of("switchboard.proxy.connect", "true"))).getMessage();
        assertTrue(connect.contains("switchboard.proxy.url"), connect);
    }
}

package dev.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.DeskClient;
import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.TestClient;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What a load balancer and Prometheus ask of a node: liveness and readiness with each check, and
 * /metrics, protected, counting what happens. (Draining is tested on a server process: cluster.DrainIT.)
 */
class HealthAndMetricsIT extends InServerTest {

    private static final String TOKEN = System.getProperty("switchboard.test.metricsToken");

    private String scrape() throws Exception {
        HttpResponse<String> response = server.get("metrics", TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        return response.body();
    }

    /** The value of the series with this name whose labels include all of these (0 when there is none). */
    private static double value(String scrape, String name, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(scrape);
        while (m.find()) {
            String found = m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    @Test
    void metricsAreForTheConfiguredNetworksOrTheToken() throws Exception {
        // The test servers open metrics to no network, so only the token lets anyone in.
        HttpResponse<String> none = server.get("metrics");
        assertEquals(403, none.statusCode(), none.body());
        assertEquals(403, server.get("metrics", "wrong-token").statusCode());
        String scrape = scrape();
        assertTrue(scrape.contains("# TYPE switchboard_connects_total counter"), "Prometheus text format");
        assertTrue(scrape.contains("jvm_memory_used_bytes"), "the JVM's own meters too");
        assertTrue(Pattern.compile("node=\"[^\"]+\"").matcher(scrape).find(), "every series names its node");
    }

    @Test
    void aConnectAMessageARefusalAndACloseMoveTheirSeries() throws Exception {
        String before = scrape();
        try (ChatClient client = ChatClient.connect(server, "metered", "room=metrics-room")) {
            client.next("joined");
            client.send(Map.of("type", "say", "room", "metrics-room", "text", "counted", "cid", "m1"));
            client.next("ack");
            client.send(Map.of("type", "say", "room", "metrics-elsewhere", "text", "refused", "cid", "m2"));
            assertEquals("not_joined", client.next("error").getString("code"));
            String during = scrape();
            assertEquals(value(before, "switchboard_connects_total", "endpoint=\"chat\"") + 1,
                    value(during, "switchboard_connects_total", "endpoint=\"chat\""));
            assertTrue(value(during, "switchboard_connections", "endpoint=\"chat\"") >= 1);
            assertEquals(value(before, "switchboard_refusals_total", "code=\"not_joined\"") + 1,
                    value(during, "switchboard_refusals_total", "code=\"not_joined\""));
            assertTrue(value(during, "switchboard_deliveries_total") >= value(before, "switchboard_deliveries_total") + 1,
                    "the message reached its one member");
            assertTrue(value(during, "switchboard_frames_in_total", "endpoint=\"chat\"")
                    >= value(before, "switchboard_frames_in_total", "endpoint=\"chat\"") + 2);
            assertTrue(value(during, "switchboard_publish_latency_seconds_count")
                    >= value(before, "switchboard_publish_latency_seconds_count") + 1);
        }
        double closedBefore = value(before, "switchboard_disconnects_total", "endpoint=\"chat\"", "code=\"1000\"");
        Awaitility.await().atMost(Duration.ofSeconds(TestClient.WAIT_SECONDS)).until(() ->
                value(scrape(), "switchboard_disconnects_total", "endpoint=\"chat\"", "code=\"1000\"") == closedBefore + 1);
    }

    @Test
    void aRefusedHandshakeIsCountedByStatus() throws Exception {
        String before = scrape();
        try {
            TestClient.connect(server.ws("ws/chat?token=not-a-token")).close();
        } catch (jakarta.websocket.DeploymentException refused) {
            // what we wait for: the handshake got 401
        }
        assertEquals(value(before, "switchboard_handshake_refusals_total", "status=\"401\"", "error=\"invalid_token\"") + 1,
                value(scrape(), "switchboard_handshake_refusals_total", "status=\"401\"", "error=\"invalid_token\""));
    }

    @Test
    void aRunningServerIsAliveAndReadyWithEachCheckSaid() throws Exception {
        HttpResponse<String> live = server.get("health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertTrue(live.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), live.headers().toString());
        assertEquals("UP", DeskClient.parse(live.body()).getString("status"));

        HttpResponse<String> ready = server.get("health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonObject body = DeskClient.parse(ready.body());
        assertEquals("UP", body.getString("status"));
        List<String> checks = body.getJsonArray("checks").stream()
                .map(c -> c.asJsonObject().getString("name") + "=" + c.asJsonObject().getString("status")).toList();
        assertEquals(List.of("started=UP", "engine=UP", "not-going-away=UP"), checks);
        assertEquals("in memory (one node)", body.getJsonArray("checks").getJsonObject(1).getJsonObject("data").getString("engine"));
    }
}

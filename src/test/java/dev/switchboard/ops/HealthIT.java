package dev.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.DeskClient;
import dev.switchboard.testing.InServerTest;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Liveness and readiness as a load balancer or an orchestrator asks for them. */
class HealthIT extends InServerTest {

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

package dev.switchboard.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testing.RawWebSocket;
import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.TestClient;
import dev.switchboard.testing.TestClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Server heartbeat, with the test server's settings: a ping every second, closed after 3 s of silence.
 */
class HeartbeatIT extends InServerTest {

    @Test
    void aConnectionThatNeverAnswersPingsIsClosedWith4000AndLeavesTheRegistry() throws Exception {
        try (TestClient bystander = TestClient.connect(server.ws("ws/echo"));
             RawWebSocket silent = RawWebSocket.connect(server.ws("ws/echo"), 0)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> server.probe("echo") == 2);
            RawWebSocket.Received first = silent.read();
            assertEquals(RawWebSocket.OP_PING, first.opcode(), "the server pings");
            assertEquals(4000, silent.readUntilClose().closeCode());
            await("the silent connection leaves the registry").atMost(Duration.ofSeconds(10))
                    .until(() -> server.probe("echo") == 1);
            bystander.send("still served");
            assertEquals("still served", bystander.nextText());
        }
    }

    @Test
    void clientsThatAnswerPingsStayOpenPastTheIdleTimeout() throws Exception {
        try (TestClients open = new TestClients()) {
            List<TestClient> clients = open.connect(server.ws("ws/echo"), 5);
            // Idle timeout is 3 s; these clients send nothing, but their WebSocket library answers pings.
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
                    .until(() -> clients.stream().allMatch(TestClient::isOpen));
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).send("after " + i);
                assertEquals("after " + i, clients.get(i).nextText());
            }
        }
    }
}

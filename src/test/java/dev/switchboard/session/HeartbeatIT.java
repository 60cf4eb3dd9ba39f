package dev.switchboard.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testing.Deployments;
import dev.switchboard.testing.RawWebSocket;
import dev.switchboard.testing.Server;
import dev.switchboard.testing.TestClient;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Server heartbeat, with the test server's settings: a ping every second, closed after 3 s of silence.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HeartbeatIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.switchboard();
    }

    @ArquillianResource
    URL base;

    Server server;

    @BeforeEach
    void locateServer() {
        server = Server.at(base);
    }

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
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                clients.add(TestClient.connect(server.ws("ws/echo")));
            }
            // Idle timeout is 3 s; these clients send nothing, but their WebSocket library answers pings.
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
                    .until(() -> clients.stream().allMatch(TestClient::isOpen));
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).send("after " + i);
                assertEquals("after " + i, clients.get(i).nextText());
            }
        } finally {
            for (TestClient client : clients) {
                client.close();
            }
        }
    }
}

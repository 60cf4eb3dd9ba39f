package dev.switchboard.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of every in-container test: the shared deployment in a real server, and tests that run as
 * clients from outside it, the way users reach the server.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class InServerTest {

    @ArquillianResource
    private URL base;

    /** The server under test, on loopback. */
    protected Server server;

    @Deployment(testable = false)
    public static WebArchive deployment() {
        return Deployments.switchboard();
    }

    @BeforeEach
    void locateServer() {
        server = Server.at(base);
    }

    /** A canary: a fresh echo client is served, whatever was just done to the server. */
    protected void echoStillServes() throws Exception {
        try (TestClient canary = TestClient.connect(server.ws("ws/echo"))) {
            canary.send("still here");
            assertEquals("still here", canary.nextText());
        }
    }

    /**
     * Waits, at most 15 s, until the server's registry holds no connection: what the test opened is
     * closed on the server's side too, and counted as closed in its meters. A class whose tests share the
     * server and assert server-wide counts (connections on an endpoint, the connection caps, metrics
     * totals) calls it after each test, so that the next one starts on a server without connections, as
     * on a fresh deployment.
     */
    protected void awaitNoConnections() {
        await("the server sees every connection gone").pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(15))
                .until(() -> server.probe("connections") == 0);
    }
}

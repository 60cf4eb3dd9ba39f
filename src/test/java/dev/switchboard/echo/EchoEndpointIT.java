package dev.switchboard.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.TestClient;
import dev.switchboard.testing.TestClients;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The echo service as its users meet it, over WebSocket and plain HTTP. */
class EchoEndpointIT extends InServerTest {

    @Test
    void textComesBackUnchanged() throws Exception {
        try (TestClient client = TestClient.connect(server.ws("ws/echo"))) {
            client.send("hello");
            assertEquals("hello", client.nextText());
        }
    }

    @Test
    void unicodeComesBackUnchanged() throws Exception {
        String text = "Grüße, 世界! 👋🏽 ﷽ \u0000 end";
        try (TestClient client = TestClient.connect(server.ws("ws/echo"))) {
            client.send(text);
            assertEquals(text, client.nextText());
        }
    }

    @Test
    void binaryComesBackAsTheSameBytes() throws Exception {
        byte[] bytes = new byte[70_000 / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        try (TestClient client = TestClient.connect(server.ws("ws/echo"))) {
            client.send(ByteBuffer.wrap(bytes));
            ByteBuffer back = client.nextBinary();
            assertEquals(ByteBuffer.wrap(bytes), back);
        }
    }

    @Test
    void messageAtTheSizeLimitComesBack() throws Exception {
        String text = "x".repeat(65536);
        try (TestClient client = TestClient.connect(server.ws("ws/echo"))) {
            client.send(text);
            assertEquals(text, client.nextText());
        }
    }

    @Test
    void oversizedMessageClosesWith1009AndOthersKeepEchoing() throws Exception {
        try (TestClient bystander = TestClient.connect(server.ws("ws/echo"));
             TestClient offender = TestClient.connect(server.ws("ws/echo"))) {
            offender.send("é".repeat(40_000)); // 80,000 bytes of UTF-8, over the 64 KiB limit
            assertEquals(1009, offender.awaitClose().getCloseCode().getCode());
            bystander.send("still here");
            assertEquals("still here", bystander.nextText());
        }
    }

    @Test
    void manyClientsAtOnceEachGetOnlyTheirOwnEchoes() throws Exception {
        int clients = 20;
        int messages = 50;
        try (TestClients all = new TestClients()) {
            List<TestClient> open = all.connect(server.ws("ws/echo"), clients);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<?>> sending = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    TestClient client = open.get(c);
                    String name = "client-" + c;
                    sending.add(pool.submit(() -> {
                        for (int m = 0; m < messages; m++) {
                            client.send(name + "#" + m);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : sending) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            for (int c = 0; c < clients; c++) {
                for (int m = 0; m < messages; m++) {
                    assertEquals("client-" + c + "#" + m, open.get(c).nextText(), "echo " + m + " of client " + c);
                }
                assertTrue(open.get(c).texts.isEmpty(), "client " + c + " got someone else's echo");
            }
        }
    }

    @Test
    void httpGetWithMessageAnswersThePlainText() throws Exception {
        HttpResponse<String> response = server.get("ws/echo?message=h%C3%A9llo%20%F0%9F%91%8B");
        assertEquals(200, response.statusCode());
        // Servers spell the header differently ("text/plain;charset=UTF-8" on WildFly): compare its meaning.
        String contentType = response.headers().firstValue("Content-Type").orElse("").toLowerCase().replace(" ", "");
        assertEquals("text/plain;charset=utf-8", contentType);
        assertEquals("héllo 👋", response.body());
    }

    @Test
    void httpGetWithoutMessageRedirectsToTheEchoPage() throws Exception {
        HttpResponse<String> response = server.get("ws/echo");
        assertTrue(response.statusCode() == 302 || response.statusCode() == 303, "status " + response.statusCode());
        assertTrue(response.headers().firstValue("Location").orElse("").endsWith("/echo.html"),
                "Location " + response.headers().firstValue("Location"));
    }
}

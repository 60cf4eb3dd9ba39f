package dev.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.RawWebSocket;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Every inbound frame of any kind costs from its connection's budget (default 200 at once, then 100 a
 * second); refused frames are strikes, and past 50 strikes within 10 s the connection is closed with
 * 1008, on every endpoint. A fresh client is served throughout.
 */
class InboundFloodIT extends InServerTest {

    private static final int FLOOD = 5_000;

    /** What a flood got back: how many frames were answered, and the close code. */
    private record Outcome(int answered, int closeCode, String lastText) {
    }

    @Test
    void echoFloodsOfTextAreClosedWith1008() throws Exception {
        Outcome outcome = flood(server.ws("ws/echo"), RawWebSocket.OP_TEXT, "x");
        assertEquals(1008, outcome.closeCode());
        // Echoes still queued when the connection is closed are dropped with it, so how many of the
        // burst arrive depends on the server's write speed; what matters is that the flood was not echoed.
        assertTrue(outcome.answered() < FLOOD, "the flood was not echoed: " + outcome.answered());
        echoStillServes();
    }

    @Test
    void unsolicitedPongFloodsAreClosedWith1008() throws Exception {
        Outcome outcome = flood(server.ws("ws/echo"), RawWebSocket.OP_PONG, "");
        assertEquals(1008, outcome.closeCode());
        echoStillServes();
    }

    @Test
    void clockFloodsOfMalformedFramesAreAnsweredThenClosedWith1008() throws Exception {
        Outcome outcome = flood(server.ws("ws/clock"), RawWebSocket.OP_TEXT, "not json");
        assertEquals(1008, outcome.closeCode());
        assertTrue(outcome.answered() > 0 && outcome.answered() < FLOOD, "answered " + outcome.answered());
        echoStillServes();
    }

    @Test
    void chatFloodsOfSaysToARoomNotJoinedAreClosedWith1008() throws Exception {
        URI chat = server.ws("ws/chat?token=" + server.token("floodwise"));
        Outcome outcome = flood(chat, RawWebSocket.OP_TEXT, "{\"type\":\"say\",\"room\":\"elsewhere\",\"text\":\"hi\"}");
        assertEquals(1008, outcome.closeCode());
        assertTrue(outcome.lastText().contains("not_joined") || outcome.lastText().contains("rate_limited"),
                "refusals were answered: " + outcome.lastText());
        echoStillServes();
    }

    /** Sends up to {@value #FLOOD} frames as fast as the socket takes them, reading all the while. */
    private static Outcome flood(URI uri, int opcode, String payload) throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(uri, 0)) {
            AtomicBoolean closed = new AtomicBoolean();
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            CompletableFuture<Integer> sent = CompletableFuture.supplyAsync(() -> {
                int count = 0;
                try {
                    while (count < FLOOD && !closed.get()) {
                        raw.send(opcode, bytes);
                        count++;
                    }
                } catch (IOException closedUnderUs) {
                    // the server closed the connection: what the reader is waiting for
                }
                return count;
            });
            int answered = 0;
            String lastText = "";
            while (true) {
                RawWebSocket.Received frame = raw.read();
                if (frame.opcode() == RawWebSocket.OP_CLOSE) {
                    closed.set(true);
                    sent.get(10, TimeUnit.SECONDS);
                    return new Outcome(answered, frame.closeCode(), lastText);
                }
                if (frame.opcode() == RawWebSocket.OP_TEXT) {
                    answered++;
                    lastText = frame.text();
                }
            }
        }
    }
}

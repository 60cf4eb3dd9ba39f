package dev.switchboard.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.RawWebSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Members of a busy room that never read (a 4 KB receive buffer), kept alive by unsolicited pongs, are
 * closed with 4001 once more than switchboard.send.buffer.max-bytes (512 KB in the tests) waits for
 * them unread, though the container takes every write at once; the room's readers get every message.
 * A non-reader that starts reading afterwards reads up to the close frame and learns why it was closed.
 */
class SlowReaderIT extends InServerTest {

    private static final String ROOM = "busy-slow";
    private static final int NON_READERS = 3;
    private static final int SPEAKERS = 3;
    /** 6 KB messages, 10 a second from each speaker (within the chat limit): 720 KB in 4 s, more than the budget. */
    private static final int MESSAGES_EACH = 40;

    @Test
    void nonReadersAreClosedWith4001PastTheirByteBudgetAndReadersGetEverything() throws Exception {
        List<RawWebSocket> nonReaders = new ArrayList<>();
        ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor();
        try (ChatClient reader = ChatClient.connect(server, "steady-reader", "room=" + ROOM)) {
            reader.next("joined");
            for (int i = 0; i < NON_READERS; i++) {
                nonReaders.add(RawWebSocket.connect(server.ws("ws/chat?room=" + ROOM + "&token="
                        + URLEncoder.encode(server.token("non-reader" + i), StandardCharsets.UTF_8)), 4096));
            }
            // Pongs nobody asked for: they keep the heartbeat satisfied, and must not confirm any bytes.
            keepAlive.scheduleAtFixedRate(() -> {
                for (RawWebSocket nonReader : nonReaders) {
                    try {
                        nonReader.send(RawWebSocket.OP_PONG, new byte[0]);
                    } catch (java.io.IOException closed) {
                        // closed by the server: what the test waits for
                    }
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
            String text = "y".repeat(6_000);
            List<ChatClient> speakers = new ArrayList<>();
            try {
                for (int s = 0; s < SPEAKERS; s++) {
                    ChatClient speaker = ChatClient.connect(server, "speaker" + s, "room=" + ROOM);
                    speaker.next("joined");
                    speakers.add(speaker);
                }
                for (int m = 0; m < MESSAGES_EACH; m++) {
                    for (ChatClient speaker : speakers) {
                        speaker.send(Map.of("type", "say", "room", ROOM, "text", text, "cid", speaker.user + m));
                    }
                    Thread.sleep(100); // pacing the speakers, not waiting for an outcome
                }
                for (int n = 0; n < SPEAKERS * MESSAGES_EACH; n++) {
                    assertEquals(6_000, reader.next("message").getString("text").length(), "message " + n);
                }
            } finally {
                for (ChatClient speaker : speakers) {
                    speaker.close();
                }
            }
            for (int i = 0; i < NON_READERS; i++) {
                String user = "non-reader" + i;
                await(user + " is closed").atMost(Duration.ofSeconds(20)).until(() -> server.connectionsOf(user) == 0);
            }
            // Reading now, a non-reader gets what was sent before the close frame, then the close frame
            // itself: the server keeps the socket open for it (switchboard.close.linger, 10 s in the tests).
            for (RawWebSocket nonReader : nonReaders) {
                assertEquals(4001, nonReader.readUntilClose().closeCode(), "closed for reading too slowly");
            }
        } finally {
            keepAlive.shutdownNow();
            for (RawWebSocket nonReader : nonReaders) {
                nonReader.close();
            }
        }
    }
}

package dev.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.RawWebSocket;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Frames over switchboard.message.max-bytes (64 KB) get 1009 and no stack trace, and unmasked client
 * frames 1002 (RFC 6455 §5.1), on every server; the server goes on serving others.
 */
class OversizedFrameIT extends InServerTest {

    private static final String SERVER = System.getProperty("arquillian.launch", "");

    @Test
    void aFiveMegabyteFrameIsClosedWith1009() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(server.ws("ws/echo"), 0)) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    raw.send(RawWebSocket.OP_TEXT, "z".repeat(5 * 1024 * 1024).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } catch (IOException closedBeforeTheEnd) {
                    // refused part way: what the reader below waits for
                }
            });
            assertEquals(1009, raw.readUntilClose().closeCode());
            sending.join();
        }
        echoStillServes();
    }

    /**
     * As a browser does: the whole frame goes out first, and only then does the client read the close.
     * Payara (our frame guard reads the frame to its end first) and WildFly (which holds it whole) answer
     * 1009; Tomcat stops reading at the limit and closes, so the rest of the frame may meet a closed socket
     * and the client a reset before it reads the 1009 (README, "Servers": what a container cannot do).
     */
    @Test
    void aFiveMegabyteFrameSentWholeBeforeReadingGets1009WhereTheServerReadsItToItsEnd() throws Exception {
        byte[] frame = "z".repeat(5 * 1024 * 1024).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (RawWebSocket raw = RawWebSocket.connect(server.ws("ws/echo"), 0)) {
            if (SERVER.startsWith("tomcat")) {
                try {
                    raw.send(RawWebSocket.OP_TEXT, frame);
                    assertEquals(1009, raw.readUntilClose().closeCode(), "if anything is read, it is the 1009");
                } catch (IOException resetUnderTheRestOfTheFrame) {
                    // Tomcat closed at the limit with the rest of the frame unread: the kernel reset the connection.
                }
            } else {
                raw.send(RawWebSocket.OP_TEXT, frame);
                assertEquals(1009, raw.readUntilClose().closeCode());
            }
        }
        echoStillServes();
    }

    @Test
    void aFrameDeclaringSixteenMegabytesIsRefusedAtItsHeaderWhereTheServerAllowsIt() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(server.ws("ws/echo"), 0)) {
            long started = System.nanoTime();
            raw.sendHeaderOnly(RawWebSocket.OP_TEXT, 16L * 1024 * 1024);
            raw.sendRawBytes(new byte[1024]); // the start of a body that would trickle on
            int code = raw.readUntilClose().closeCode();
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (SERVER.startsWith("payara")) {
                // GuardedTyrusUpgradeHandler reads the header before Tyrus buffers anything.
                assertEquals(1009, code);
                assertTrue(millis < 2_000, "refused at the header, after " + millis + " ms");
            } else {
                // Tomcat holds at most the 64 KB limit for it and WildFly buffers text frames whole (see the
                // README's Servers table); neither lets an application see a header, so a trickling
                // client is closed by the heartbeat, 3 s in the tests.
                assertEquals(4000, code, "closed by the heartbeat after " + millis + " ms");
            }
        }
        echoStillServes();
    }

    @Test
    void anUnmaskedClientFrameIsClosedWith1002() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(server.ws("ws/echo"), 0)) {
            raw.sendUnmasked(RawWebSocket.OP_TEXT, "no mask".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(1002, raw.readUntilClose().closeCode());
        }
        echoStillServes();
    }
}

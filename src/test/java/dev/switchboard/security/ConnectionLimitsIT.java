package dev.switchboard.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.RawWebSocket;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections are bounded per client address and in all, on every endpoint (echo and clock take no
 * token), before the upgrade. The test servers take 320 per address and 800 in all; the test is
 * several clients by connecting from several loopback addresses.
 */
class ConnectionLimitsIT extends InServerTest {

    private static final int PER_ADDRESS = 320;
    private static final int TOTAL = 800;

    private final List<RawWebSocket> opened = new CopyOnWriteArrayList<>();
    /** Raw clients answer no pings: unsolicited pongs keep them from the idle timeout (3 s in tests) while more open. */
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void keepOpenedAlive() {
        keepAlive.scheduleAtFixedRate(() -> {
            for (RawWebSocket connection : opened) {
                try {
                    connection.send(RawWebSocket.OP_PONG, new byte[0]);
                } catch (IOException closed) {
                    opened.remove(connection);
                }
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void closeAll() throws Exception {
        keepAlive.shutdownNow();
        keepAlive.awaitTermination(5, TimeUnit.SECONDS);
        for (RawWebSocket connection : opened) {
            connection.close();
        }
    }

    /** Opens connections from the address until one is refused; the refusal (null if none within {@code most}). */
    private RawWebSocket.Attempt openUntilRefused(String fromLoopback, int most) throws IOException {
        for (int i = 0; i < most; i++) {
            RawWebSocket.Attempt attempt = RawWebSocket.attemptFrom(server.ws(i % 2 == 0 ? "ws/echo" : "ws/clock"), fromLoopback);
            if (attempt.status() != 101) {
                return attempt;
            }
            opened.add(attempt.connection());
        }
        return null;
    }

    @Test
    void anAddressPastItsShareGets429AndOtherAddressesAreServed() throws Exception {
        RawWebSocket.Attempt refused = openUntilRefused("127.0.0.21", PER_ADDRESS + 5);
        assertNotNull(refused, "refused before " + (PER_ADDRESS + 5));
        assertEquals(PER_ADDRESS, opened.size(), "exactly the address's share was let in");
        assertEquals(429, refused.status(), refused.body());
        assertTrue(refused.body().contains("\"too_many_connections\""), refused.body());

        RawWebSocket.Attempt other = RawWebSocket.attemptFrom(server.ws("ws/echo"), "127.0.0.22");
        assertEquals(101, other.status(), "another address is served: " + other.body());
        opened.add(other.connection());

        opened.remove(0).close();
        await("the closed connection's place is given back").atMost(Duration.ofSeconds(10)).until(() -> {
            RawWebSocket.Attempt again = RawWebSocket.attemptFrom(server.ws("ws/echo"), "127.0.0.21");
            if (again.status() == 101) {
                opened.add(again.connection());
            }
            return again.status() == 101;
        });
    }

    @Test
    void theServerPastItsTotalGets503() throws Exception {
        RawWebSocket.Attempt refused = null;
        for (int address = 31; address <= 33 && refused == null; address++) {
            refused = openUntilRefused("127.0.0." + address, PER_ADDRESS);
        }
        assertNotNull(refused, "three addresses' shares are more than the total");
        assertEquals(503, refused.status(), refused.body());
        assertTrue(refused.body().contains("\"server_full\""), refused.body());
        await("every place taken is an open connection").atMost(Duration.ofSeconds(10))
                .until(() -> server.probe("connections") == TOTAL);
        assertTrue(opened.size() <= TOTAL);
        List<RawWebSocket> closing = List.copyOf(opened);
        opened.clear();
        for (RawWebSocket connection : closing) {
            connection.close();
        }
        await("the places come back as connections close").atMost(Duration.ofSeconds(10))
                .until(() -> server.probe("connections") == 0);
        echoStillServes();
    }
}

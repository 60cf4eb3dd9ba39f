package dev.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.RawWebSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A frame sent in the same TCP write as the upgrade request (no browser does it, attackers may) is
 * processed like any other, and 500 such clients leave the server answering everyone. On Payara this
 * parked a worker thread for good per client until config.TyrusUpgradeFilter.
 */
class PipelinedHandshakeIT extends InServerTest {

    private static final int CLIENTS = 500;

    @Test
    void framesPipelinedBehindTheHandshakeAreEchoedAndTheServerKeepsAnswering() throws Exception {
        List<RawWebSocket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                // From five loopback addresses: the test servers take 320 connections per address.
                clients.add(RawWebSocket.connectPipelined(server.ws("ws/echo"), "early " + i, "127.0.0." + (11 + i % 5)));
            }
            for (int i = 0; i < CLIENTS; i++) {
                RawWebSocket.Received echo = clients.get(i).read();
                while (echo.opcode() == RawWebSocket.OP_PING) {
                    echo = clients.get(i).read(); // a heartbeat may come first
                }
                assertEquals(RawWebSocket.OP_TEXT, echo.opcode());
                assertEquals("early " + i, echo.text());
            }
            assertEquals(200, server.get("").statusCode(), "plain HTTP is still served with the clients open");
        } finally {
            for (RawWebSocket client : clients) {
                client.close();
            }
        }
        assertEquals(200, server.get("").statusCode(), "and after they went");
    }
}

package dev.switchboard.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.InServerTest;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Made-up room names cannot grow the server without bound: a connection is in at most 20 rooms, the
 * server keeps the history of at most 100 (the test servers' settings), and a client that floods joins
 * is closed long before it can make many.
 */
class RoomBoundsIT extends InServerTest {

    private static final int MAX_ROOMS_PER_CONNECTION = 20;
    private static final int HISTORY_ROOMS = 100;

    private void joinAll(ChatClient client, String prefix, int rooms) throws Exception {
        for (int i = 0; i < rooms; i++) {
            client.send(Map.of("type", "join", "room", prefix + i, "cid", "j" + i));
        }
        for (int i = 0; i < rooms; i++) {
            client.next("joined");
        }
    }

    @Test
    void aConnectionIsInAtMostItsShareOfRooms() throws Exception {
        try (ChatClient roomy = ChatClient.connect(server, "roomy")) {
            roomy.next("welcome");
            joinAll(roomy, "roomy-", MAX_ROOMS_PER_CONNECTION);
            roomy.send(Map.of("type", "join", "room", "one-too-many", "cid", "over"));
            JsonObject refused = roomy.next("error");
            assertEquals("too_many_rooms", refused.getString("code"));
            assertEquals("over", refused.getString("cid"));
            roomy.send(Map.of("type", "leave", "room", "roomy-0", "cid", "out"));
            assertEquals("out", roomy.next("ack").getString("cid"));
            roomy.send(Map.of("type", "join", "room", "one-too-many", "cid", "now"));
            assertEquals("now", roomy.next("joined").getString("cid"), "after a leave there is room for one more");
        }
    }

    @Test
    void aHundredThousandMadeUpRoomNamesCannotGrowTheServerPastItsBounds() throws Exception {
        long heapBefore = server.probeWith("?bounds").getJsonNumber("heapUsed").longValue();

        // Within every rate limit: eight users in 20 rooms each, all made up.
        List<ChatClient> users = new ArrayList<>();
        for (int u = 0; u < 8; u++) {
            ChatClient user = ChatClient.connect(server, "maker" + u);
            user.next("welcome");
            joinAll(user, "made-" + u + "-", MAX_ROOMS_PER_CONNECTION);
            users.add(user);
        }
        for (ChatClient user : users) {
            user.close();
        }
        // As fast as a client can: 100,000 joins to made-up rooms, from one connection.
        int sent = 0;
        long policyClosesBefore = server.probeWith("?bounds").getJsonNumber("policyCloses").longValue();
        try (ChatClient flooder = ChatClient.connect(server, "room-flooder")) {
            flooder.next("welcome");
            for (; sent < 100_000 && flooder.ws.isOpen(); sent++) {
                try {
                    flooder.send("{\"type\":\"join\",\"room\":\"flood-" + sent + "\"}");
                } catch (RuntimeException | java.io.IOException closedMeanwhile) {
                    break; // closed between the check and this send (the client library says so in its own ways)
                }
            }
            int code = flooder.ws.awaitClose().getCloseCode().getCode();
            // The server closes with 1008; a client still writing as fast as it can may have its socket
            // reset (1006) before it reads the close frame. Either way the server must have closed it.
            assertTrue(code == 1008 || code == 1006, "after " + sent + " joins: " + code);
            assertEquals(policyClosesBefore + 1, server.probeWith("?bounds").getJsonNumber("policyCloses").longValue(),
                    "the server closed the flooder for policy");
        }
        try (ChatClient later = ChatClient.connect(server, "later")) {
            later.next("welcome");
            // The bounds apply as rooms are used, to rooms nobody is in (the others' leaving is announced
            // asynchronously): join one more room at a time until the history is within them.
            int[] joined = {0};
            await("the history is back within its bounds").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        later.send(Map.of("type", "join", "room", "after-" + joined[0]++));
                        later.next("joined");
                        return server.probeWith("?bounds").getInt("historyRooms") <= HISTORY_ROOMS;
                    });
            long grown = server.probeWith("?bounds").getJsonNumber("heapUsed").longValue() - heapBefore;
            assertTrue(grown < 32L << 20, "the heap grew by " + (grown >> 20) + " MB after " + sent + " flooded joins");
        }
        echoStillServes();
    }
}

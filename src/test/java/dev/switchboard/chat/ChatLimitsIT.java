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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What chat does not let a client do, on one deployment: bad input and floods get a clear answer and
 * everyone else keeps being served; made-up room names cannot grow the server without bound. The two
 * groups below were classes of their own, each booting a server of its own (a JVM per class on Payara
 * Micro). The room bounds test counts the server's policy closes exactly, so every test waits for the
 * server to see its connections gone (a flooder's 1008 counted) before the next one runs.
 */
class ChatLimitsIT extends InServerTest {

    @AfterEach
    void everyConnectionIsGoneBeforeTheNextTest() {
        awaitNoConnections();
    }

    // ---- Bad input and floods (was ChatLimitsIT) ----
    // Bad input and floods get a clear answer; everyone else keeps being served.

    private static String errorCode(ChatClient client) throws InterruptedException {
        return client.next("error").getString("code");
    }

    @Test
    void malformedFramesGetErrorFramesWithStableCodesAndTheConnectionStaysOpen() throws Exception {
        try (ChatClient client = ChatClient.connect(server, "sloppy", "room=limits")) {
            client.next("joined");
            client.send("{\"type\":\"say\",");
            assertEquals("bad_json", errorCode(client));
            client.send("{\"type\":\"shout\",\"room\":\"limits\"}");
            assertEquals("unknown_type", errorCode(client));
            client.send("{\"room\":\"limits\"}");
            assertEquals("missing_field", errorCode(client));
            client.send(Map.of("type", "say", "room", "limits", "cid", "no-text"));
            JsonObject noText = client.next("error");
            assertEquals("missing_field", noText.getString("code"));
            assertEquals("no-text", noText.getString("cid"), "errors carry the client's id");
            client.send(Map.of("type", "join", "room", "bad room!"));
            assertEquals("bad_name", errorCode(client));
            client.send(Map.of("type", "say", "room", "not-joined", "text", "hi"));
            assertEquals("not_joined", errorCode(client));
            client.send(Map.of("type", "whisper", "to", "in valid", "text", "hi"));
            assertEquals("bad_name", errorCode(client));
            client.send(Map.of("type", "welcome"));
            assertEquals("unsupported_type", errorCode(client));
            client.send("{\"type\":\"say\",\"room\":\"limits\",\"x\":" + "[".repeat(1001) + "]".repeat(1001) + "}");
            assertEquals("bad_json", errorCode(client), "nested 1,001 deep");
            client.send(Map.of("type", "say", "room", "limits", "text", "still here", "cid", "ok"));
            assertEquals("ok", client.next("ack").getString("cid"));
        }
    }

    @Test
    void answersAgreeWithTheProtocolDocument() throws Exception {
        try (ChatClient client = ChatClient.connect(server, "pedant", "room=docs")) {
            client.next("joined");
            client.send("{\"type\":\"shout\",\"cid\":\"u1\"}");
            assertEquals("u1", client.next("error").getString("cid"), "unknown_type carries the cid");
            client.send("{\"cid\":\"m1\"}");
            JsonObject missing = client.next("error");
            assertEquals("missing_field", missing.getString("code"));
            assertEquals("m1", missing.getString("cid"));
            for (String wrongKind : new String[] {
                "{\"type\":\"join\",\"room\":\"docs\",\"since\":\"yesterday\"}",
                "{\"type\":\"say\",\"room\":\"docs\",\"text\":{\"a\":1}}",
                "{\"type\":\"say\",\"room\":\"docs\",\"text\":123}",
                "{\"type\":\"join\",\"room\":[\"x\"]}",
                "{\"type\":\"ping\",\"cid\":5}"}) {
                client.send(wrongKind);
                assertEquals("bad_field", errorCode(client), wrongKind);
            }
            client.send("[\"say\",\"docs\",\"hello\"]");
            assertEquals("bad_json", errorCode(client), "a JSON array is not said into the room");
            client.send("[citation needed] is plain text");
            assertEquals("[citation needed] is plain text", client.next("message").getString("text"));
            client.send(Map.of("type", "typing", "room", "not-joined", "cid", "t1"));
            JsonObject typing = client.next("error");
            assertEquals("not_joined", typing.getString("code"));
            assertEquals("t1", typing.getString("cid"));
            client.send(Map.of("type", "ping", "cid", "p"));
            assertEquals("p", client.next("pong").getString("cid"));
        }
    }

    @Test
    void rateLimitedTypingIsAnsweredSoTheClientKnowsBeforeItIsClosed() throws Exception {
        try (ChatClient typist = ChatClient.connect(server, "typist", "room=typing-limits")) {
            typist.next("joined");
            for (int i = 0; i < 40; i++) {
                typist.send(Map.of("type", "typing", "room", "typing-limits", "cid", "t" + i));
            }
            JsonObject limited = typist.next("error");
            assertEquals("rate_limited", limited.getString("code"), "the 31st typing frame is over the burst of 30");
            typist.send(Map.of("type", "ping", "cid", "alive"));
            assertEquals("alive", typist.next("pong").getString("cid"), "a few refusals do not close the connection");
        }
    }

    @Test
    void anOversizedFrameClosesWith1009AndOthersAreStillServed() throws Exception {
        try (ChatClient bystander = ChatClient.connect(server, "calm", "room=big");
             ChatClient offender = ChatClient.connect(server, "bigmouth", "room=big")) {
            bystander.next("joined");
            offender.next("joined");
            offender.send(Map.of("type", "say", "room", "big", "text", "x".repeat(70_000)));
            assertEquals(1009, offender.ws.awaitClose().getCloseCode().getCode());
            bystander.send(Map.of("type", "say", "room", "big", "text", "fine", "cid", "f"));
            assertEquals("f", bystander.next("ack").getString("cid"));
        }
    }

    @Test
    void aFloodIsRateLimitedThenClosedWith1008WhileOthersAreServed() throws Exception {
        try (ChatClient bystander = ChatClient.connect(server, "patient", "room=flood");
             ChatClient flooder = ChatClient.connect(server, "flooder", "room=flood")) {
            bystander.next("joined");
            flooder.next("joined");
            int accepted = 0;
            int limited = 0;
            for (int i = 0; i < 200 && flooder.ws.isOpen(); i++) {
                try {
                    flooder.send(Map.of("type", "say", "room", "flood", "text", "spam " + i, "cid", "s" + i));
                } catch (IllegalStateException | java.io.IOException closedMeanwhile) {
                    break; // the server closed the flooder between our check and this send: what we wait for below
                }
            }
            int closeCode = flooder.ws.awaitClose().getCloseCode().getCode();
            for (JsonObject frame : flooder.pending()) {
                if ("ack".equals(frame.getString("type"))) {
                    accepted++;
                } else if ("error".equals(frame.getString("type")) && "rate_limited".equals(frame.getString("code"))) {
                    limited++;
                }
            }
            assertEquals(1008, closeCode, "persistent flooding closes the connection");
            assertTrue(accepted >= 30, "the burst was accepted: " + accepted);
            assertTrue(limited > 0, "the flooder was told it is rate limited");
            bystander.send(Map.of("type", "say", "room", "flood", "text", "calm", "cid", "calm"));
            assertEquals("calm", bystander.next("ack").getString("cid"));
        }
    }

    @Test
    void liveRoomsHaveTheStricterLimit() throws Exception {
        try (ChatClient fan = ChatClient.connect(server, "fan", "room=live-show")) {
            fan.next("joined");
            for (int i = 0; i < 8; i++) {
                fan.send(Map.of("type", "say", "room", "live-show", "text", "wow " + i, "cid", "w" + i));
            }
            int accepted = 0;
            int limited = 0;
            for (int i = 0; i < 8; i++) {
                JsonObject frame = nextAckOrError(fan);
                if ("ack".equals(frame.getString("type"))) {
                    accepted++;
                } else {
                    assertEquals("rate_limited", frame.getString("code"));
                    limited++;
                }
            }
            assertTrue(accepted >= 5 && accepted < 8, "the live burst is 5: accepted " + accepted);
            assertTrue(limited > 0);
        }
    }

    private static JsonObject nextAckOrError(ChatClient client) throws InterruptedException {
        while (true) {
            JsonObject frame = client.next();
            String type = frame.getString("type");
            if ("ack".equals(type) || "error".equals(type)) {
                return frame;
            }
        }
    }

    // ---- Room bounds (was RoomBoundsIT) ----
    // Made-up room names cannot grow the server without bound: a connection is in at most 20 rooms, the
    // server keeps the history of at most 100 (the test servers' settings), and a client that floods joins
    // is closed long before it can make many.

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

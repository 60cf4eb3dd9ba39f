package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.ServerNode;
import dev.switchboard.testing.SiteBackEnd;
import dev.switchboard.testing.SiteBackEnd.Answer;
import dev.switchboard.testing.SiteBackEnd.Received;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real server whose chat connections ask the site's back end as they open ({@code switchboard.proxy.connect}),
 * started as a process of its own since the shared test servers do not ask at connect: a refused user's
 * connection is closed with 4004 and the back end's reason, an allowed one gets its info in welcome and joined.
 */
class ConnectProxyIT {

    private static final String ANNS_INFO = "{\"name\":\"Ann Lee\",\"roles\":[\"staff\"]}";

    @Test
    void aConnectionTheBackEndRefusesIsClosedWith4004AndAnAllowedOneCarriesItsInfo() throws Exception {
        try (SiteBackEnd backEnd = SiteBackEnd.start(URI.create(System.getProperty("switchboard.test.proxyUrl")).getPort(),
                System.getProperty("switchboard.test.webhookSecret"));
                ServerNode node = ServerNode.start("connect-proxy", "", List.of("-Dswitchboard.proxy.connect=true"))) {
            backEnd.answer(body -> body.getString("user").equals("cp-mallory")
                    ? Answer.json("{\"result\":\"deny\",\"reason\":\"Your account is suspended\"}")
                    : Answer.json("{\"result\":\"allow\",\"info\":" + ANNS_INFO + "}"));
            try (ChatClient mallory = ChatClient.connect(node.server(), "cp-mallory")) {
                CloseReason closed = mallory.ws.awaitClose();
                assertEquals(4004, closed.getCloseCode().getCode(), closed.toString());
                assertEquals("Your account is suspended", closed.getReasonPhrase());
                assertTrue(mallory.ws.texts.isEmpty(), "no welcome: " + mallory.ws.texts);
            }
            Received asked = backEnd.next(10);
            assertNotNull(asked, "the back end was asked within 10 s");
            assertTrue(asked.signed(), asked.toString());
            assertEquals("connect", asked.type());
            try (ChatClient ann = ChatClient.connect(node.server(), "cp-ann")) {
                assertEquals(ANNS_INFO, ann.next("welcome").getJsonObject("info").toString());
                ann.send(Map.of("type", "join", "room", "lobby"));
                JsonObject joined = ann.next("joined");
                assertEquals(ANNS_INFO, joined.getJsonObject("info").getJsonObject("cp-ann").toString(), joined.toString());
            }
        }
    }
}

package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.InServerTest;
import jakarta.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Private messages: every tab of both parties, and offline delivery. */
class ChatWhispersIT extends InServerTest {

    private static Map<String, Object> whisper(String to, String text, String cid) {
        return Map.of("type", "whisper", "to", to, "text", text, "cid", cid);
    }

    @Test
    void aWhisperReachesEveryTabOfTheRecipientAndTheSendersOtherTabs() throws Exception {
        try (ChatClient alice1 = ChatClient.connect(server, "wa");
             ChatClient alice2 = ChatClient.connect(server, "wa");
             ChatClient bob1 = ChatClient.connect(server, "wb");
             ChatClient bob2 = ChatClient.connect(server, "wb");
             ChatClient eve = ChatClient.connect(server, "we")) {
            for (ChatClient c : new ChatClient[] {alice1, alice2, bob1, bob2, eve}) {
                c.next("welcome");
            }
            alice1.send(whisper("wb", "psst", "w1"));
            JsonObject ack = alice1.next("ack");
            assertEquals("delivered", ack.getString("status"));
            Map<ChatClient, Integer> offsets = new java.util.HashMap<>();
            for (ChatClient c : new ChatClient[] {bob1, bob2, alice2}) {
                JsonObject w = c.next("whisper");
                offsets.put(c, w.getInt("offset"));
                assertEquals("psst", w.getString("text"));
                assertEquals("wa", w.getString("from"));
                assertEquals("wb", w.getString("to"));
                assertEquals(ack.getString("id"), w.getString("id"));
            }
            eve.send(Map.of("type", "ping"));
            eve.next("pong");
            assertTrue(eve.pending().stream().noneMatch(f -> "whisper".equals(f.getString("type"))), "nobody else");
            JsonObject own = alice1.next("whisper");
            assertEquals(ack.getString("id"), own.getString("id"), "the sending tab gets its copy too, as in a room");
            assertEquals(offsets.get(alice2), own.getInt("offset"), "both of alice's tabs: the same place in her log");
            assertEquals(offsets.get(bob1), offsets.get(bob2), "both of bob's tabs: the same place in his");
        }
    }

    @Test
    void aTabThatWasAwayRecoversFromItsOffsetWhatAnotherTabGotMeanwhile() throws Exception {
        try (ChatClient bob = ChatClient.connect(server, "rb");
             ChatClient stays = ChatClient.connect(server, "ra")) {
            bob.next("welcome");
            String epoch = stays.next("whispers").getString("epoch");
            ChatClient away = ChatClient.connect(server, "ra");
            away.next("whispers");
            bob.send(whisper("ra", "one", "r1"));
            bob.send(whisper("ra", "two", "r2"));
            long seen = 0;
            for (String text : new String[] {"one", "two"}) {
                JsonObject w = away.next("whisper");
                assertEquals(text, w.getString("text"));
                assertTrue(w.getInt("offset") > seen, "offsets increase: " + w);
                seen = w.getInt("offset");
                assertEquals(text, stays.next("whisper").getString("text"));
            }
            away.close();
            bob.send(whisper("ra", "three", "r3"));
            bob.send(whisper("ra", "four", "r4"));
            assertEquals("three", stays.next("whisper").getString("text"));
            assertEquals("four", stays.next("whisper").getString("text"));
            try (ChatClient back = ChatClient.connect(server, "ra", "whispersSince=" + seen + "&whispersEpoch=" + epoch)) {
                JsonObject greeting = back.next("whispers");
                assertTrue(greeting.getBoolean("recovered"), greeting.toString());
                assertEquals("three", back.next("whisper").getString("text"));
                assertEquals("four", back.next("whisper").getString("text"));
                back.send(Map.of("type", "ping"));
                back.next("pong");
                assertTrue(back.pending().stream().noneMatch(f -> "whisper".equals(f.getString("type"))),
                        "exactly the missed ones: " + back.pending());
            }
            try (ChatClient stale = ChatClient.connect(server, "ra", "whispersSince=1&whispersEpoch=another-run")) {
                assertFalse(stale.next("whispers").getBoolean("recovered"), "offsets of another epoch are not recovered");
            }
        }
    }

    @Test
    void aWhisperToAnOfflineUserIsStoredAndDeliveredWhenTheyConnect() throws Exception {
        try (ChatClient sender = ChatClient.connect(server, "early")) {
            sender.next("welcome");
            sender.send(whisper("sleeper", "while you were away", "o1"));
            assertEquals("stored", sender.next("ack").getString("status"));
            sender.send(whisper("sleeper", "and another", "o2"));
            assertEquals("stored", sender.next("ack").getString("status"));
        }
        try (ChatClient sleeper = ChatClient.connect(server, "sleeper")) {
            sleeper.next("welcome");
            assertEquals("while you were away", sleeper.next("whisper").getString("text"));
            assertEquals("and another", sleeper.next("whisper").getString("text"));
        }
        try (ChatClient again = ChatClient.connect(server, "sleeper")) {
            again.next("welcome");
            again.send(Map.of("type", "ping"));
            again.next("pong");
            assertTrue(again.pending().stream().noneMatch(f -> "whisper".equals(f.getString("type"))),
                    "an inbox is delivered once");
        }
    }

    @Test
    void aWhisperToANameNeverSeenIsStoredForThatNameOnly() throws Exception {
        try (ChatClient sender = ChatClient.connect(server, "curious");
             ChatClient bystander = ChatClient.connect(server, "bystander")) {
            sender.next("welcome");
            bystander.next("welcome");
            sender.send(whisper("nobody-yet", "hello?", "n1"));
            assertEquals("stored", sender.next("ack").getString("status"));
            bystander.send(Map.of("type", "ping"));
            bystander.next("pong");
            assertTrue(bystander.pending().stream().noneMatch(f -> "whisper".equals(f.getString("type"))));
        }
        try (ChatClient owner = ChatClient.connect(server, "nobody-yet")) {
            owner.next("welcome");
            assertEquals("hello?", owner.next("whisper").getString("text"));
        }
    }
}

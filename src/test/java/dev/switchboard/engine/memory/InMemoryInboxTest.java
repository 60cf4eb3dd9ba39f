package dev.switchboard.engine.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.ChatMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryInboxTest {

    private final Instant now = Instant.parse("2026-11-21T12:00:00Z");

    private InMemoryInbox inbox(int size) {
        InMemoryInbox inbox = new InMemoryInbox();
        inbox.config = SwitchboardConfig.of(Map.of("switchboard.inbox.size", String.valueOf(size), "switchboard.inbox.ttl", "1d"));
        inbox.clock = Clock.fixed(now, ZoneOffset.UTC);
        inbox.readSettings();
        return inbox;
    }

    private ChatMessage whisper(String to, String text, long ts) {
        return new ChatMessage(text, null, 0, "sender", to, text, ts);
    }

    @Test
    void keptWhispersComeOutOnceOldestFirstAndOnlyForTheirOwner() {
        InMemoryInbox inbox = inbox(10);
        inbox.keep(whisper("bob", "one", now.toEpochMilli()));
        inbox.keep(whisper("carol", "other", now.toEpochMilli()));
        inbox.keep(whisper("bob", "two", now.toEpochMilli()));
        assertEquals(List.of("one", "two"), inbox.takeAll("bob").stream().map(ChatMessage::text).toList());
        assertEquals(List.of(), inbox.takeAll("bob"));
        assertEquals(List.of("other"), inbox.takeAll("carol").stream().map(ChatMessage::text).toList());
    }

    @Test
    void theInboxIsBoundedInCountAndAge() {
        InMemoryInbox inbox = inbox(2);
        inbox.keep(whisper("bob", "stale", now.minusSeconds(2 * 86_400).toEpochMilli()));
        inbox.keep(whisper("bob", "a", now.toEpochMilli()));
        inbox.keep(whisper("bob", "b", now.toEpochMilli()));
        inbox.keep(whisper("bob", "c", now.toEpochMilli()));
        assertEquals(List.of("b", "c"), inbox.takeAll("bob").stream().map(ChatMessage::text).toList());
        inbox.keep(whisper("dan", "expired", now.minusSeconds(2 * 86_400).toEpochMilli()));
        assertEquals(List.of(), inbox.takeAll("dan"));
    }

    @Test
    void allInboxesTogetherKeepNoMoreThanTheTotalAndMakeRoomAsWhispersAreTaken() {
        InMemoryInbox inbox = InMemoryInbox.forTests(SwitchboardConfig.of(Map.of("switchboard.inbox.size", "10",
                "switchboard.inbox.ttl", "1d", "switchboard.inbox.max-total", "3")), Clock.fixed(now, ZoneOffset.UTC));
        assertTrue(inbox.keep(whisper("u1", "a", now.toEpochMilli())));
        assertTrue(inbox.keep(whisper("u2", "b", now.toEpochMilli())));
        assertTrue(inbox.keep(whisper("u2", "c", now.toEpochMilli())));
        assertFalse(inbox.keep(whisper("u3", "refused", now.toEpochMilli())), "the fourth is refused, not kept");
        assertEquals(List.of("b", "c"), inbox.takeAll("u2").stream().map(ChatMessage::text).toList());
        assertTrue(inbox.keep(whisper("u3", "now there is room", now.toEpochMilli())));
        assertEquals(List.of("now there is room"), inbox.takeAll("u3").stream().map(ChatMessage::text).toList());
    }
}

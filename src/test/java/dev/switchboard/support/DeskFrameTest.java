package dev.switchboard.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.protocol.FrameCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each frame the desk sends, as docs/protocol.md names its fields: {@code type} first, absent fields left out. */
class DeskFrameTest {

    private static void written(String json, DeskFrame frame) {
        assertEquals(json, FrameCodec.toJson(frame));
    }

    @Test
    void welcomeAndStatusAndNoAgents() {
        written("{\"type\":\"welcome\",\"canned\":[\"Hi!\"],\"node\":\"n1\",\"role\":\"agent\",\"user\":\"ann\"}",
                new DeskFrame.Welcome("agent", "ann", null, "n1", List.of("Hi!")));
        written("{\"type\":\"welcome\",\"name\":\"Carol\",\"node\":\"n1\",\"role\":\"customer\",\"user\":\"c-1\"}",
                new DeskFrame.Welcome("customer", "c-1", "Carol", "n1", null));
        written("{\"type\":\"status\",\"agentsOnline\":2,\"conversation\":\"c1\",\"position\":1,\"state\":\"queued\",\"waitHigh\":90,\"waitLow\":0}",
                new DeskFrame.Status("c1", "queued", 1, 0L, 90L, null, 2));
        written("{\"type\":\"status\",\"agent\":\"ann\",\"agentsOnline\":1,\"conversation\":\"c1\",\"state\":\"active\"}",
                new DeskFrame.Status("c1", "active", null, null, null, "ann", 1));
        written("{\"type\":\"no_agents\",\"cid\":\"s1\",\"message\":\"Nobody\",\"reason\":\"nobody\"}",
                new DeskFrame.NoAgents("nobody", "s1", "Nobody"));
    }

    @Test
    void theStaffViewIsTheDeskFrame() {
        DeskViews.Line line = new DeskViews.Line("c1", "Carol", null, "sales", "queued", null, 1, 10, 0, 0, true);
        written("{\"type\":\"desk\",\"agents\":[{\"capacity\":2,\"load\":0,\"name\":\"ann\",\"online\":true,\"status\":\"available\"}],"
                + "\"capacity\":2,\"load\":0,\"messages\":[],\"mine\":[],\"queue\":[{\"answeredAt\":0,\"conversation\":\"c1\","
                + "\"customerHere\":true,\"customerName\":\"Carol\",\"department\":\"sales\",\"offeredAt\":0,\"position\":1,"
                + "\"queuedAt\":10,\"state\":\"queued\"}],\"status\":\"available\"}",
                new DeskFrame.StaffView("available", 2, 0, List.of(line), List.of(), List.of(),
                        List.of(new DeskViews.AgentLine("ann", "available", true, 0, 2)), null, null));
    }

    @Test
    void transcriptFramesCarryTheConversationAndOffset() {
        written("{\"type\":\"transcript\",\"conversation\":\"c1\",\"epoch\":\"e1\",\"lastOffset\":3,\"recovered\":true}",
                new DeskFrame.Transcript("c1", 3, "e1", true));
        written("{\"type\":\"message\",\"conversation\":\"c1\",\"from\":\"carol\",\"id\":\"m1\",\"name\":\"Carol\",\"offset\":4,"
                + "\"role\":\"customer\",\"text\":\"hi\",\"ts\":5}",
                new DeskFrame.Message("c1", 4, "m1", "carol", "customer", "Carol", "hi", 5));
        written("{\"type\":\"event\",\"by\":\"carol\",\"comment\":\"great\",\"conversation\":\"c1\",\"event\":\"rated\",\"offset\":5,"
                + "\"score\":5,\"ts\":6}",
                new DeskFrame.Event("c1", 5, "rated", "carol", null, 5, "great", 6));
        written("{\"type\":\"released\",\"conversation\":\"c1\"}", new DeskFrame.Released("c1"));
    }

    @Test
    void signalsAndAcks() {
        written("{\"type\":\"typing\",\"conversation\":\"c1\",\"from\":\"Carol\",\"role\":\"customer\"}",
                new DeskFrame.Typing("c1", "customer", "Carol"));
        written("{\"type\":\"read\",\"conversation\":\"c1\",\"from\":\"ann\",\"offset\":4,\"role\":\"agent\"}",
                new DeskFrame.Read("c1", "agent", "ann", 4));
        written("{\"type\":\"ack\",\"cid\":\"s1\",\"conversation\":\"c1\",\"id\":\"m1\",\"offset\":4}",
                new DeskFrame.Ack("s1", "c1", 4L, "m1"));
        written("{\"type\":\"ack\",\"cid\":\"x\"}", new DeskFrame.Ack("x", null));
    }

    @Test
    void transcriptLinesKeepTheirTypeInTheLogAndAreShownAtTheirOffset() {
        String said = FrameCodec.toJson(new Transcripts.Said("m1", "carol", "customer", "Carol", "hi", 5));
        assertEquals("{\"type\":\"message\",\"from\":\"carol\",\"id\":\"m1\",\"name\":\"Carol\",\"role\":\"customer\",\"text\":\"hi\",\"ts\":5}", said);
        assertEquals(new DeskFrame.Message("c1", 4, "m1", "carol", "customer", "Carol", "hi", 5),
                FrameCodec.fromJson(said, Transcripts.Line.class).at("c1", 4));
        String happened = FrameCodec.toJson(new Transcripts.Happened("transferred", "ann", "bob", null, null, 6));
        assertEquals("{\"type\":\"event\",\"by\":\"ann\",\"event\":\"transferred\",\"to\":\"bob\",\"ts\":6}", happened);
        assertEquals(new DeskFrame.Event("c1", 2, "transferred", "ann", "bob", null, null, 6),
                FrameCodec.fromJson(happened, Transcripts.Line.class).at("c1", 2));
    }
}

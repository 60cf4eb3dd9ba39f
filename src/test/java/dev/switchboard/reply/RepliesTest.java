package dev.switchboard.reply;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.chat.ChatFrame;
import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Acknowledgements;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.memory.InMemoryAcknowledgements;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.session.Channel;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.session.TestTransports;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How features answer clients: acks kept for retries of a client id, refusals as strikes, rate limits, the engine away. */
class RepliesTest {

    private static final Channel CHAT = new Channel("chat", true);
    private static final Map<String, String> SETTINGS = Map.of("switchboard.rate.strikes", "3",
            "switchboard.rate.chat.per-second", "1", "switchboard.rate.chat.burst", "2");

    private final ServerExecutors executors = new ServerExecutors();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SessionRegistry registry = TestTransports.registry(executors, SETTINGS, meters);
    private final Replies replies = TestReplies.replies(registry, new InMemoryAcknowledgements(), SwitchboardConfig.of(SETTINGS));
    private final TestTransports.Recorded ann = TestTransports.connect(registry, CHAT, "a1", "ann");

    @AfterEach
    void stopScheduler() {
        executors.shutdownOwnExecutors();
    }

    private static ChatFrame.Ack ack(String cid) {
        return new ChatFrame.Ack(cid, "m-" + cid, null, null, null, null);
    }

    private double refusalsCounted(ErrorCode code) {
        return meters.counter("switchboard.refusals", "code", code.wireName()).count();
    }

    @Test
    void aRetryOfAHandledMessageGetsTheSameAckAgainAndGoesNoFurther() {
        assertTrue(replies.firstTry(ann.connection(), "say", "c1"));
        replies.acknowledge(ann.connection(), "say", "c1", ack("c1"));
        assertFalse(replies.firstTry(ann.connection(), "say", "c1"), "a retry is not handled again");
        String ackJson = "{\"type\":\"ack\",\"cid\":\"c1\",\"id\":\"m-c1\"}";
        assertEquals(List.of(ackJson, ackJson), ann.texts().get(), "the retry got the first try's ack, word for word");
    }

    @Test
    void aRetryWhileTheFirstTryIsUnderwayIsLeftForTheFirstToAnswer() {
        assertTrue(replies.firstTry(ann.connection(), "say", "c1"));
        assertFalse(replies.firstTry(ann.connection(), "say", "c1"));
        assertEquals(List.of(), ann.texts().get(), "nothing to resend yet: the first try answers");
    }

    @Test
    void aFirstTryThatWasLetGoMayBeTriedAgain() {
        assertTrue(replies.firstTry(ann.connection(), "say", "c1"));
        replies.letGo(ann.connection(), "say", "c1");
        assertTrue(replies.firstTry(ann.connection(), "say", "c1"), "refused (rate limited, say): the retry goes ahead");
    }

    @Test
    void clientIdsBelongToTheirUserAndTheirKindOfMessage() {
        TestTransports.Recorded bob = TestTransports.connect(registry, CHAT, "b1", "bob");
        assertTrue(replies.firstTry(ann.connection(), "say", "c1"));
        assertTrue(replies.firstTry(bob.connection(), "say", "c1"), "bob's c1 is not ann's");
        assertTrue(replies.firstTry(ann.connection(), "whisper", "c1"), "a whisper's c1 is not a say's");
    }

    @Test
    void framesWithoutAClientIdAreNeverHeldBackAndTheirAcksAreNotKept() {
        assertTrue(replies.firstTry(ann.connection(), "say", null));
        replies.acknowledge(ann.connection(), "say", null, new ChatFrame.Ack(null, null, null, null, null, null));
        replies.letGo(ann.connection(), "say", null);
        assertTrue(replies.firstTry(ann.connection(), "say", null));
        assertEquals(List.of("{\"type\":\"ack\"}"), ann.texts().get(), "acknowledged once, never resent");
    }

    @Test
    void anAckIsSentEvenWhenTheStoreCannotKeepItAndLettingGoOfAClaimCannotFail() {
        Replies withStoreDown = TestReplies.replies(registry, new Acknowledgements() {
            @Override
            public Claim claim(String user, String cid) {
                return new First();
            }

            @Override
            public void answer(String user, String cid, String ack) {
                throw new EngineUnavailable("down", null);
            }

            @Override
            public void release(String user, String cid) {
                throw new EngineUnavailable("down", null);
            }
        }, SwitchboardConfig.of(SETTINGS));
        withStoreDown.letGo(ann.connection(), "say", "c1"); // the claim lapses by itself
        withStoreDown.acknowledge(ann.connection(), "say", "c2", new SharedFrame.Pong("c2"));
        assertEquals(List.of("{\"type\":\"pong\",\"cid\":\"c2\"}"), ann.texts().get(), "any frame may be an ack");
    }

    @Test
    void overTheRateLimitTheClientIsToldToSlowDownWithItsClientId() {
        assertTrue(replies.withinRate(ann.connection(), "lobby", "c1"));
        assertTrue(replies.withinRate(ann.connection(), "lobby", "c2"));
        assertFalse(replies.withinRate(ann.connection(), "lobby", "c3"), "the burst is 2");
        assertEquals(List.of("{\"type\":\"error\",\"cid\":\"c3\",\"code\":\"rate_limited\",\"message\":\"Too many messages; slow down\"}"),
                ann.texts().get());
        assertEquals(1, refusalsCounted(ErrorCode.RATE_LIMITED));
    }

    @Test
    void aMessageWithoutTextIsRefusedAsAMissingField() {
        assertFalse(replies.hasText(ann.connection(), null, "c1"));
        assertFalse(replies.hasText(ann.connection(), "", "c2"));
        assertTrue(replies.hasText(ann.connection(), " ", "c3"), "a space is text");
        assertEquals(List.of(
                "{\"type\":\"error\",\"cid\":\"c1\",\"code\":\"missing_field\",\"message\":\"Field 'text' is required\"}",
                "{\"type\":\"error\",\"cid\":\"c2\",\"code\":\"missing_field\",\"message\":\"Field 'text' is required\"}"),
                ann.texts().get());
    }

    @Test
    void refusalsAreStrikesAndOneTooManyClosesTheConnectionWith1008() {
        for (int i = 0; i < 3; i++) {
            replies.refuse(ann.connection(), SharedFrame.Error.of(ErrorCode.BAD_NAME, "bad " + i));
        }
        assertEquals(3, ann.texts().get().size(), "each refusal within the strikes allowed is answered");
        assertFalse(ann.connection().isClosed());
        replies.refuse(ann.connection(), SharedFrame.Error.of(ErrorCode.BAD_NAME, "bad 3"));
        await("the 1008 close of a connection past its 3 strikes").atMost(Duration.ofSeconds(5))
                .until(() -> !ann.closes().get().isEmpty());
        assertEquals(1008, ann.closes().get().get(0).getCloseCode().getCode());
        assertEquals(3, ann.texts().get().size(), "the fourth is not answered: the connection is closed for it");
        assertEquals(4, refusalsCounted(ErrorCode.BAD_NAME));
    }

    @Test
    void anEngineThatIsAwayIsAnsweredUnavailableButIsNoStrikeAgainstTheClient() {
        for (int i = 0; i < 10; i++) {
            replies.unavailable(ann.connection(), "say into lobby", new EngineUnavailable("Redis down", null), "c" + i,
                    "The message could not be stored; send it again later");
        }
        assertFalse(ann.connection().isClosed(), "10 answers, 3 strikes allowed: none was a strike");
        assertEquals("{\"type\":\"error\",\"cid\":\"c9\",\"code\":\"unavailable\",\"message\":\"The message could not be stored; "
                + "send it again later\"}", ann.texts().get().get(9));
        assertEquals(10, refusalsCounted(ErrorCode.UNAVAILABLE), "counted for /metrics all the same");
    }

    @Test
    void repliesAreSentAsTheyAreAndOnlyErrorsAreCounted() {
        replies.reply(ann.connection(), new SharedFrame.Pong("p"));
        replies.reply(ann.connection(), Map.of("type", "status"));
        replies.reply(ann.connection(), SharedFrame.Error.of(ErrorCode.BAD_FIELD, "no"));
        assertEquals(List.of("{\"type\":\"pong\",\"cid\":\"p\"}", "{\"type\":\"status\"}",
                "{\"type\":\"error\",\"code\":\"bad_field\",\"message\":\"no\"}"), ann.texts().get());
        assertEquals(1.0, meters.find("switchboard.refusals").counters().stream().mapToDouble(c -> c.count()).sum());
    }
}

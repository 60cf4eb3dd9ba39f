package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.session.TestTransports.Recorded;
import dev.switchboard.testing.MovableClock;
import dev.switchboard.testing.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rooms as their namespaces govern them: who may join and say, caps, sizes, slow mode, hidden presence, grants that change. */
class GovernedRoomsTest {

    private static final String NAMESPACES = """
            {"namespaces": {
              "team": {"join": "granted", "say": "granted"},
              "news": {"say": "server", "presence": false, "recovery": false},
              "me": {"join": "user"},
              "class": {"maxMembers": 2, "maxMessageBytes": 10, "slowMode": "10s"},
              "short": {"historySize": 2, "joinLeave": false}
            }}""";

    private static final ConnectionRights NO_GRANTS = new ConnectionRights(Grants.NONE);

    private static final String SECRET = "unit-test-secret-of-at-least-32-bytes-0123";
    private final TestChat chat = new TestChat("switchboard.namespaces", NAMESPACES, "switchboard.token.secret", SECRET);
    private final Rooms rooms = chat.rooms;
    private final Recorded ann = chat.connect("ann");
    private final Recorded bob = chat.connect("bob");
    private final Recorded cy = chat.connect("cy");

    @AfterEach
    void close() {
        chat.close();
    }

    private static ConnectionRights granted(String pattern, String... rights) {
        return new ConnectionRights(Grants.of(Map.of(pattern, List.of(rights))));
    }

    private static String error(String code, String message, String cid) {
        return "{\"type\":\"error\",\"cid\":\"" + cid + "\",\"code\":\"" + code + "\",\"message\":\"" + message + "\"}";
    }

    private static boolean isFrame(String type, String json) {
        return json.startsWith("{\"type\":\"" + type + "\"");
    }

    @Test
    void aGrantedRoomLetsInOnlyWhomTheTokenGrantsAndARefusalTellsNothingOfTheRoom() {
        rooms.join(ann.connection(), granted("team:*", "join", "say"), "team:42", null, null, null, "j1");
        rooms.say(ann.connection(), granted("team:*", "join", "say"), "team:42", "secret", "s1");
        rooms.join(bob.connection(), NO_GRANTS, "team:42", null, null, null, "j2");
        assertEquals(List.of(error("forbidden", "You may not join 'team:42'", "j2")), bob.texts().get(),
                "no joined, no history, no count: only the refusal");
        rooms.join(cy.connection(), granted("team:42", "join"), "team:42", null, null, null, "j3");
        assertTrue(isFrame("joined", cy.texts().get().get(0)), cy.texts().get().toString());
        rooms.say(cy.connection(), granted("team:42", "join"), "team:42", "hi", "s3");
        assertEquals(error("forbidden", "You may not say anything in 'team:42'", "s3"), cy.last(), "join without say");
    }

    @Test
    void anAnnouncementsRoomIsWrittenOnlyByTheServerAndHidesItsMembers() {
        rooms.join(ann.connection(), NO_GRANTS, "news:today", null, null, null, null);
        assertTrue(ann.last().endsWith(",\"readOnly\":true}"), "the page shows no input: " + ann.last());
        assertFalse(ann.last().contains("\"count\""), "presence off: " + ann.last());
        assertFalse(ann.last().contains("\"members\""), ann.last());
        rooms.say(ann.connection(), NO_GRANTS, "news:today", "me too", "s1");
        assertEquals(error("forbidden", "Only the site's server says anything in 'news:today'", "s1"), ann.last());
        rooms.publish("news:today", null, "Extra!", null).toCompletableFuture().join();
        assertTrue(ann.last().contains("\"text\":\"Extra!\""), ann.last());
        assertFalse(rooms.showsMembersTo("ann", Grants.NONE, "news:today"), "no member list over HTTP either");
    }

    @Test
    void withoutRecoveryARejoinGetsWhatAFreshJoinGetsAndIsToldSo() {
        rooms.publish("news:today", null, "one", null).toCompletableFuture().join();
        rooms.publish("news:today", null, "two", null).toCompletableFuture().join();
        rooms.join(ann.connection(), NO_GRANTS, "news:today", 1L, null, null, null);
        List<String> got = ann.texts().get();
        assertTrue(got.get(0).contains("\"recovered\":false"), got.get(0));
        assertEquals(3, got.size(), "the recent history, both messages: " + got);
    }

    @Test
    void aPersonalRoomTakesOnlyItsOwner() {
        rooms.join(ann.connection(), NO_GRANTS, "me:#ann", null, null, null, null);
        assertTrue(isFrame("joined", ann.last()), ann.last());
        rooms.join(bob.connection(), NO_GRANTS, "me:#ann", null, null, null, "j2");
        assertEquals(error("forbidden", "You may not join 'me:#ann'", "j2"), bob.last());
        rooms.join(bob.connection(), NO_GRANTS, "me:ann", null, null, null, "j3");
        assertEquals(error("bad_name", "Rooms of namespace 'me' are personal: 'me:#' and a user name", "j3"), bob.last());
        rooms.join(bob.connection(), NO_GRANTS, "nowhere:x", null, null, null, "j4");
        assertEquals(error("bad_name", "No namespace 'nowhere' on this server", "j4"), bob.last());
    }

    @Test
    void aCappedRoomRefusesOneUserTooManyButTakesAnotherTabOfAMember() {
        rooms.join(ann.connection(), NO_GRANTS, "class:a", null, null, null, null);
        rooms.join(bob.connection(), NO_GRANTS, "class:a", null, null, null, null);
        rooms.join(cy.connection(), NO_GRANTS, "class:a", null, null, null, "j3");
        assertEquals(error("room_full", "'class:a' has 2 members, as many as it takes", "j3"), cy.last());
        Recorded annsOtherTab = chat.connect("ann");
        rooms.join(annsOtherTab.connection(), NO_GRANTS, "class:a", null, null, null, null);
        assertTrue(isFrame("joined", annsOtherTab.last()), annsOtherTab.last());
    }

    @Test
    void aMessageOverTheNamespacesSizeIsRefused() {
        rooms.join(ann.connection(), NO_GRANTS, "class:a", null, null, null, null);
        rooms.say(ann.connection(), NO_GRANTS, "class:a", "ééééééé", "s1"); // 7 characters, 14 bytes
        assertEquals(error("too_large", "A message in 'class:a' is at most 10 bytes; this one is 14", "s1"), ann.last());
    }

    @Test
    void slowModeLetsEachUserSayOneMessagePerIntervalAndModeratorsAreExempt() {
        MovableClock clock = new MovableClock(TestChat.NOW);
        chat.slowMode.clock = clock;
        rooms.join(ann.connection(), NO_GRANTS, "class:a", null, null, null, null);
        rooms.say(ann.connection(), NO_GRANTS, "class:a", "first", "s1");
        assertTrue(isFrame("ack", ann.last()), ann.last());
        clock.advance(Duration.ofSeconds(4));
        rooms.say(ann.connection(), NO_GRANTS, "class:a", "second", "s2");
        assertEquals("{\"type\":\"error\",\"cid\":\"s2\",\"code\":\"slow_mode\",\"message\":\"One message every 10 s in 'class:a'\","
                + "\"until\":\"" + TestChat.NOW.plusSeconds(10) + "\"}", ann.last());
        clock.advance(Duration.ofSeconds(6));
        rooms.say(ann.connection(), NO_GRANTS, "class:a", "second", "s3");
        assertTrue(isFrame("ack", ann.last()), "the interval is over: " + ann.last());
        ConnectionRights teacher = granted("class:*", "moderate");
        rooms.join(bob.connection(), teacher, "class:a", null, null, null, null);
        rooms.say(bob.connection(), teacher, "class:a", "one", "t1");
        rooms.say(bob.connection(), teacher, "class:a", "two", "t2");
        assertTrue(isFrame("ack", bob.last()) && bob.last().contains("\"cid\":\"t2\""), "a moderator is exempt: " + bob.last());
    }

    @Test
    void aRefreshedTokenThatNoLongerGrantsARoomTakesTheConnectionOutOfIt() {
        ConnectionRights rights = granted("team:*", "join", "say");
        rooms.join(ann.connection(), rights, "team:42", null, null, null, null);
        rooms.join(ann.connection(), rights, "lobby", null, null, null, null);
        rights.replace(Grants.of(Map.of("team:7", List.of("join"))));
        rooms.leaveWhereNotAdmitted(ann.connection(), rights);
        assertEquals("{\"type\":\"left\",\"room\":\"team:42\",\"reason\":\"rights\"}", ann.last());
        assertEquals(List.of("room:lobby"), ann.connection().topics().stream().filter(Rooms::isRoomLog).toList(),
                "still in the room anyone may be in");
        rooms.publish("team:42", null, "after", null).toCompletableFuture().join();
        assertTrue(isFrame("left", ann.last()), "nothing more from team:42: " + ann.last());
    }

    @Test
    void aModeratorMutesAUserWhoseSaysAreRefusedUntilTheMuteEndsAndWhoIsToldOfIt() {
        ConnectionRights teacher = granted("class:*", "moderate");
        rooms.join(ann.connection(), teacher, "class:b", null, null, null, null);
        assertTrue(ann.last().endsWith(",\"moderator\":true}"), "the page shows moderation menus: " + ann.last());
        rooms.join(bob.connection(), NO_GRANTS, "class:b", null, null, null, null);
        rooms.moderate(ann.connection(), teacher, "mute", "class:b", "bob", 600L, "m1");
        assertEquals("{\"type\":\"ack\",\"cid\":\"m1\",\"room\":\"class:b\",\"to\":\"bob\"}", ann.last());
        String until = TestChat.NOW.plusSeconds(600).toString();
        assertEquals("{\"type\":\"moderated\",\"room\":\"class:b\",\"action\":\"mute\",\"until\":\"" + until + "\"}", bob.last());
        rooms.say(bob.connection(), NO_GRANTS, "class:b", "hey", "s1");
        assertEquals("{\"type\":\"error\",\"cid\":\"s1\",\"code\":\"muted\",\"message\":\"You are muted in 'class:b'\","
                + "\"until\":\"" + until + "\"}", bob.last());
        rooms.moderate(ann.connection(), teacher, "unmute", "class:b", "bob", null, "m2");
        assertEquals("{\"type\":\"moderated\",\"room\":\"class:b\",\"action\":\"unmute\"}", bob.last());
        rooms.say(bob.connection(), NO_GRANTS, "class:b", "thanks", "s2");
        assertTrue(isFrame("ack", bob.last()), bob.last());
    }

    @Test
    void aBannedUserLeavesTheRoomAndCannotComeBackUntilTheBanIsLifted() {
        ConnectionRights teacher = granted("class:*", "moderate");
        rooms.join(ann.connection(), teacher, "class:c", null, null, null, null);
        rooms.join(bob.connection(), NO_GRANTS, "class:c", null, null, null, null);
        rooms.moderate(ann.connection(), teacher, "ban", "class:c", "bob", null, "b1");
        assertEquals("{\"type\":\"left\",\"room\":\"class:c\",\"reason\":\"banned\"}", bob.last(), "a ban with no end");
        assertFalse(bob.connection().topics().contains(Rooms.logOf("class:c")));
        rooms.join(bob.connection(), NO_GRANTS, "class:c", null, null, null, "j2");
        assertEquals(error("banned", "You are banned from 'class:c'", "j2"), bob.last());
        rooms.moderate(ann.connection(), teacher, "unban", "class:c", "bob", null, "b2");
        rooms.join(bob.connection(), NO_GRANTS, "class:c", null, null, null, "j3");
        assertTrue(isFrame("joined", bob.last()), bob.last());
    }

    @Test
    void onlyAModeratorModeratesAndAModeratorSetsTheRoomsSlowMode() {
        rooms.join(bob.connection(), NO_GRANTS, "lobby", null, null, null, null);
        rooms.moderate(bob.connection(), NO_GRANTS, "ban", "lobby", "ann", null, "b1");
        assertEquals(error("forbidden", "You may not moderate 'lobby'", "b1"), bob.last());
        ConnectionRights admin = granted("*", "moderate");
        rooms.join(ann.connection(), admin, "lobby", null, null, null, null);
        rooms.moderate(ann.connection(), admin, "slow_mode", "lobby", null, 5L, "sm");
        assertEquals("{\"type\":\"slow_mode\",\"room\":\"lobby\",\"seconds\":5}", bob.last(), "members learn it");
        rooms.say(bob.connection(), NO_GRANTS, "lobby", "one", "s1");
        rooms.say(bob.connection(), NO_GRANTS, "lobby", "two", "s2");
        assertTrue(bob.last().contains("\"code\":\"slow_mode\""), bob.last());
        rooms.moderate(ann.connection(), admin, "slow_mode", "lobby", null, 0L, "off");
        rooms.say(bob.connection(), NO_GRANTS, "lobby", "three", "s3");
        assertTrue(isFrame("ack", bob.last()), "slow mode off: " + bob.last());
    }

    @Test
    void aDeletedMessageBecomesATombstoneInHistoryAndARejoinFromAnOffsetLearnsOfTheDeletion() {
        ConnectionRights teacher = granted("class:*", "moderate");
        rooms.join(ann.connection(), teacher, "class:d", null, null, null, null);
        rooms.join(bob.connection(), NO_GRANTS, "class:d", null, null, null, null);
        rooms.say(bob.connection(), NO_GRANTS, "class:d", "rude!", "s1");
        String epoch = rooms.history("class:d", null).toCompletableFuture().join().epoch();
        rooms.deleteMessage(ann.connection(), teacher, "class:d", 1L, epoch, "d1");
        assertEquals("{\"type\":\"ack\",\"cid\":\"d1\",\"room\":\"class:d\",\"offset\":1}", ann.last());
        assertEquals("{\"type\":\"deleted\",\"room\":\"class:d\",\"offset\":2,\"target\":1,\"by\":\"ann\"}", bob.last(),
                "members learn of it live");
        List<String> history = rooms.history("class:d", null).toCompletableFuture().join().entries().stream().map(Rooms::wire).toList();
        assertTrue(history.get(0).contains("\"deleted\":true") && !history.get(0).contains("rude!"), "a tombstone: " + history);
        Recorded bobAgain = chat.connect("bob");
        rooms.join(bobAgain.connection(), NO_GRANTS, "class:d", 1L, epoch, null, null);
        assertEquals(List.of("{\"type\":\"deleted\",\"room\":\"class:d\",\"offset\":2,\"target\":1,\"by\":\"ann\"}"),
                bobAgain.texts().get().subList(1, bobAgain.texts().get().size()), "a client that had the message learns of its deletion");
        rooms.deleteMessage(ann.connection(), teacher, "class:d", 7L, epoch, "d2");
        assertEquals(error("not_found", "'class:d' keeps no message at offset 7", "d2"), ann.last());
        rooms.deleteMessage(ann.connection(), teacher, "class:d", 2L, epoch, "d3");
        assertEquals(error("not_found", "'class:d' keeps no message at offset 2", "d3"), ann.last(), "a change is no message");
        rooms.say(ann.connection(), teacher, "class:d", "hi class", "s2");
        rooms.deleteMessage(bob.connection(), NO_GRANTS, "class:d", 3L, epoch, "d4");
        assertEquals(error("forbidden", "Only its author may change a message", "d4"), bob.last(), "a member deletes only their own");
    }

    private ConnectionRights noGrantsAtTestTime() {
        ConnectionRights rights = new ConnectionRights(Grants.NONE);
        rights.clock = Clock.fixed(TestChat.NOW, ZoneOffset.UTC);
        return rights;
    }

    @Test
    void aRoomTokenLetsItsUserIntoItsRoomWithItsRightsAndIsRefreshedThere() throws Exception {
        ConnectionRights rights = noGrantsAtTestTime();
        String token = Tokens.mintRoomToken("ann", "team:9", List.of("join"), TestChat.NOW.plusSeconds(600), SECRET);
        rooms.join(ann.connection(), rights, "team:9", null, null, token, "j1");
        assertTrue(isFrame("joined", ann.last()), ann.last());
        rooms.say(ann.connection(), rights, "team:9", "hi", "s1");
        assertEquals(error("forbidden", "You may not say anything in 'team:9'", "s1"), ann.last(), "join only");
        String wider = Tokens.mintRoomToken("ann", "team:9", List.of("join", "say"), TestChat.NOW.plusSeconds(1200), SECRET);
        rooms.refreshRoomToken(ann.connection(), rights, "team:9", wider, "r1");
        assertEquals("{\"type\":\"refreshed\",\"cid\":\"r1\",\"room\":\"team:9\",\"expiresAt\":\"" + TestChat.NOW.plusSeconds(1200) + "\"}",
                ann.last());
        rooms.say(ann.connection(), rights, "team:9", "hi", "s2");
        assertTrue(isFrame("ack", ann.last()), ann.last());
        rooms.join(bob.connection(), noGrantsAtTestTime(), "team:9", null, null, token, "j2");
        assertEquals(error("invalid_token", "Not a valid room token of bob for 'team:9'", "j2"), bob.last(), "ann's token is ann's");
        String other = Tokens.mintRoomToken("bob", "team:8", List.of("join"), TestChat.NOW.plusSeconds(600), SECRET);
        rooms.join(bob.connection(), noGrantsAtTestTime(), "team:9", null, null, other, "j3");
        assertEquals(error("invalid_token", "Not a valid room token of bob for 'team:9'", "j3"), bob.last(), "for another room");
    }

    @Test
    void aConnectionLeavesTheRoomWhenItsRoomTokenExpiresUnrefreshed() throws Exception {
        ConnectionRights rights = noGrantsAtTestTime();
        String shortLived = Tokens.mintRoomToken("ann", "team:10", List.of("join"), TestChat.NOW.plusSeconds(1), SECRET); // a JWT expires on a whole second
        rooms.join(ann.connection(), rights, "team:10", null, null, shortLived, null);
        assertTrue(isFrame("joined", ann.last()), ann.last());
        org.awaitility.Awaitility.await("the left frame at the token's expiry").atMost(Duration.ofSeconds(5))
                .until(() -> isFrame("left", ann.last()));
        assertEquals("{\"type\":\"left\",\"room\":\"team:10\",\"reason\":\"expired\"}", ann.last());
    }

    @Test
    void grantsAndRoomTokensFromAnOutsideRs256ProviderWorkAsOursDo() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----";
        try (TestChat provided = new TestChat("switchboard.namespaces", NAMESPACES, "switchboard.token.public-key", pem)) {
            java.util.function.Function<com.nimbusds.jwt.JWTClaimsSet.Builder, String> signed = claims -> {
                try {
                    com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                            new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.RS256),
                            claims.expirationTime(java.util.Date.from(TestChat.NOW.plusSeconds(600))).build());
                    jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(pair.getPrivate()));
                    return jwt.serialize();
                } catch (com.nimbusds.jose.JOSEException e) {
                    throw new IllegalStateException(e);
                }
            };
            String connectionToken = signed.apply(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("dana")
                    .claim("grants", Map.of("team:*", List.of("join", "say"))));
            ConnectionRights dana = new ConnectionRights(Grants.of(provided.tokens.verify(connectionToken).orElseThrow().claim(Grants.CLAIM)));
            Recorded danasTab = provided.connect("dana");
            provided.rooms.join(danasTab.connection(), dana, "team:1", null, null, null, null);
            assertTrue(isFrame("joined", danasTab.last()), danasTab.last());

            String roomToken = signed.apply(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("eli")
                    .claim("room", "team:1").claim("rights", List.of("join")));
            Recorded elisTab = provided.connect("eli");
            ConnectionRights eli = new ConnectionRights(Grants.NONE);
            eli.clock = Clock.fixed(TestChat.NOW, ZoneOffset.UTC);
            provided.rooms.join(elisTab.connection(), eli, "team:1", null, null, roomToken, null);
            assertTrue(isFrame("joined", elisTab.last()), elisTab.last());
            String ours = Tokens.mintRoomToken("fred", "team:1", List.of("join"), TestChat.NOW.plusSeconds(600), SECRET);
            Recorded fredsTab = provided.connect("fred");
            provided.rooms.join(fredsTab.connection(), new ConnectionRights(Grants.NONE), "team:1", null, null, ours, "j");
            assertEquals(error("invalid_token", "Not a valid room token of fred for 'team:1'", "j"), fredsTab.last(),
                    "with a provider's key, HS256 room tokens count for nothing");
        }
    }

    @Test
    void nobodyTypesWhereTheyMayNotSpeak() {
        rooms.join(ann.connection(), NO_GRANTS, "news:quiet", null, null, null, null);
        chat.typing.typing(ann.connection(), NO_GRANTS, "news:quiet", null, "t1");
        assertEquals(error("forbidden", "Only the site's server says anything in 'news:quiet'", "t1"), ann.last());
        ConnectionRights teacher = granted("class:*", "moderate");
        rooms.join(ann.connection(), teacher, "class:t", null, null, null, null);
        rooms.join(bob.connection(), NO_GRANTS, "class:t", null, null, null, null);
        rooms.moderate(ann.connection(), teacher, "mute", "class:t", "bob", null, "m");
        chat.typing.typing(bob.connection(), NO_GRANTS, "class:t", null, "t2");
        assertEquals(error("muted", "You are muted in 'class:t'", "t2"), bob.last(), "a mute with no end says no until");
    }

    @Test
    void aNamespacesHistorySizeIsWhatAJoinReplaysAndItsRoomsMayKeepJoinsQuiet() {
        for (String text : List.of("one", "two", "three")) {
            rooms.publish("short:x", null, text, null).toCompletableFuture().join();
        }
        rooms.join(ann.connection(), NO_GRANTS, "short:x", null, null, null, null);
        List<String> got = ann.texts().get();
        assertEquals(3, got.size(), "joined, then the two messages the namespace keeps: " + got);
        assertTrue(got.get(1).contains("\"text\":\"two\"") && got.get(2).contains("\"text\":\"three\""), got.toString());
        rooms.join(bob.connection(), NO_GRANTS, "short:x", null, null, null, null);
        chat.announcer.flush("short:x");
        rooms.join(bob.connection(), NO_GRANTS, "lobby", null, null, null, null);
        rooms.join(ann.connection(), NO_GRANTS, "lobby", null, null, null, null);
        chat.announcer.flush("lobby");
        assertTrue(ann.last().startsWith("{\"type\":\"presence\",\"room\":\"lobby\""), "the default namespace announces: " + ann.last());
        assertEquals(0, ann.texts().get().stream().filter(t -> t.contains("\"type\":\"presence\",\"room\":\"short:x\"")).count(),
                "joinLeave false: no presence frame for short:x");
    }
}

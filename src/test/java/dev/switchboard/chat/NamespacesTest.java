package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Namespaces as configured: rules inherited from the default, rooms that cannot exist, bad entries named at start. */
class NamespacesTest {

    private static Namespaces namespaces(String json) {
        Namespaces n = new Namespaces();
        n.config = SwitchboardConfig.of(Map.of("switchboard.namespaces", json, "switchboard.history.size", "50"));
        n.readSettings();
        return n;
    }

    private static String startFailure(String json) {
        return assertThrows(IllegalStateException.class, () -> namespaces(json)).getMessage();
    }

    @Test
    void theSettingsTakeZeroWhereTheNamespaceOptionsDoAllToReplayAndNoEditing() {
        Namespaces n = new Namespaces();
        n.config = SwitchboardConfig.of(Map.of("switchboard.history.replay", "0", "switchboard.edit.window", "0s"));
        n.readSettings();
        RoomRules rules = n.rulesOf("lobby").orElseThrow();
        assertEquals(0, rules.replay(), "0: a join that does not recover is sent all the room keeps");
        assertTrue(rules.editWindow().isZero(), "0s: members never edit or delete their own");
        Namespaces refused = new Namespaces();
        refused.config = SwitchboardConfig.of(Map.of("switchboard.history.replay", "-1"));
        assertTrue(assertThrows(IllegalStateException.class, refused::readSettings).getMessage().contains("switchboard.history.replay"));
    }

    @Test
    void withoutTheSettingEveryRoomFollowsTheDefaultRulesTheOtherSettingsGive() {
        Namespaces n = namespaces("");
        RoomRules rules = n.rulesOf("any:room").orElseThrow();
        assertEquals(50, rules.historySize());
        assertEquals(Duration.ofHours(24), rules.historyTtl());
        assertEquals(RoomRules.Join.ANYONE, rules.join());
        assertEquals(RoomRules.Say.MEMBERS, rules.say());
        assertEquals(65_536, rules.maxMessageBytes());
        assertTrue(rules.slowMode().isZero());
        assertEquals(rules, n.rulesOf("lobby").orElseThrow());
    }

    @Test
    void aNamespaceTakesWhatItDoesNotSetFromTheDefaultAndOnlyListedNamespacesExist() {
        Namespaces n = namespaces("""
                {"default": {"historySize": 10, "slowMode": "2s"},
                 "namespaces": {"team": {"join": "granted", "historyTtl": "7d"}}}""");
        RoomRules team = n.rulesOf("team:42").orElseThrow();
        assertEquals(10, team.historySize(), "from default");
        assertEquals(Duration.ofSeconds(2), team.slowMode(), "from default");
        assertEquals(Duration.ofDays(7), team.historyTtl());
        assertEquals(RoomRules.Join.GRANTED, team.join());
        assertEquals(RoomRules.Join.ANYONE, n.rulesOf("lobby").orElseThrow().join());
        assertEquals(Optional.empty(), n.rulesOf("other:room"));
        assertEquals("No namespace 'other' on this server", n.noSuchRoom("other:room"));
    }

    @Test
    void personalRoomsAreNamedAfterAUser() {
        Namespaces n = namespaces("{\"namespaces\": {\"me\": {\"join\": \"user\"}}}");
        assertTrue(n.rulesOf("me:#alice").isPresent());
        assertFalse(n.rulesOf("me:alice").isPresent());
        assertFalse(n.rulesOf("me:#not a user").isPresent());
        assertEquals(Optional.of("alice"), Namespaces.ownerOf("me:#alice"));
        RoomRules me = n.rulesOf("me:#alice").orElseThrow();
        assertTrue(me.admits("me:#alice", "alice", Grants.NONE));
        assertFalse(me.admits("me:#alice", "bob", Grants.NONE));
        assertTrue(me.admits("me:#alice", "bob", Grants.of(Map.of("me:*", List.of("moderate")))), "moderate includes join");
    }

    @Test
    void theSettingMayNameAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("namespaces.json");
        Files.writeString(file, "{\"namespaces\": {\"news\": {\"say\": \"server\"}}}");
        assertEquals(RoomRules.Say.SERVER, namespaces(file.toString()).rulesOf("news:x").orElseThrow().say());
        assertTrue(startFailure(dir.resolve("missing.json").toString()).contains("cannot read the file"));
    }

    @Test
    void aBadEntryStopsTheStartWithAMessageNamingIt() {
        assertEquals("Setting switchboard.namespaces (SWITCHBOARD_NAMESPACES): namespace 'team': unknown option hisorySize "
                + "(known: editWindow, historySize, historyTtl, join, joinLeave, maxMembers, maxMessageBytes, messageEvents, presence, proxyJoin, proxySay, recovery, replay, say, slowMode)",
                startFailure("{\"namespaces\": {\"team\": {\"hisorySize\": 5}}}"));
        assertTrue(startFailure("{\"namespaces\": {\"team\": {\"join\": \"everyone\"}}}")
                .endsWith("namespace 'team': join must be one of anyone, granted, user (was \"everyone\")"));
        assertTrue(startFailure("{\"default\": {\"slowMode\": 10}}").contains("default: slowMode must be a duration"));
        assertTrue(startFailure("{\"namespaces\": {\"a:b\": {}}}").contains("namespace 'a:b': a namespace is 1-32"));
        assertTrue(startFailure("{\"namespaces\": {\"x\": {\"historySize\": 0}}}").contains("historySize must be at least 1"));
        assertTrue(startFailure("{\"namespaces\": {\"x\": {\"maxMessageBytes\": 100000}}}").contains("maxMessageBytes must be from 1 to"));
        assertTrue(startFailure("{\"rooms\": {}}").contains("unknown entry rooms"));
        assertTrue(startFailure("{\"namespaces\": [").contains("not a JSON object"));
    }

    @Test
    void grantsCoverARoomOrAPatternAndModerateIncludesTheRest() {
        Grants grants = Grants.of(Map.of("team:42", List.of("join"), "news:*", List.of("moderate"), "bad", "not a list"));
        assertTrue(grants.allow(Grants.Right.JOIN, "team:42"));
        assertFalse(grants.allow(Grants.Right.SAY, "team:42"));
        assertFalse(grants.allow(Grants.Right.JOIN, "team:420"), "a room is matched whole");
        assertTrue(grants.allow(Grants.Right.SAY, "news:today"));
        assertTrue(grants.allow(Grants.Right.MODERATE, "news:today"));
        assertFalse(Grants.of("not an object").allow(Grants.Right.JOIN, "x"));
        assertTrue(Grants.of(Map.of("*", List.of("join"))).allow(Grants.Right.JOIN, "anything:at-all"));
    }
}

package dev.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogLinesTest {

    @Test
    void aLogRecordIsOneLineOfJsonWithTheNode() throws Exception {
        var constructor = JsonLogLines.class.getDeclaredConstructor(String.class);
        constructor.setAccessible(true);
        JsonLogLines format = constructor.newInstance("node-a");
        LogRecord record = new LogRecord(Level.INFO, "Refused {0} for \"{1}\"");
        record.setParameters(new Object[] {"handshake", "x\ny"});
        record.setLoggerName("dev.switchboard.protocol.RefusalLog");
        record.setThrown(new IllegalStateException("boom"));
        String line = format.format(record);
        assertTrue(line.endsWith(System.lineSeparator()));
        assertEquals(1, line.strip().lines().count(), "a newline in a message stays inside the JSON string");
        JsonObject json = Json.createReader(new StringReader(line)).readObject();
        assertEquals("INFO", json.getString("level"));
        assertEquals("node-a", json.getString("node"));
        assertEquals("dev.switchboard.protocol.RefusalLog", json.getString("logger"));
        assertEquals("Refused handshake for \"x\ny\"", json.getString("message"));
        assertEquals("java.lang.IllegalStateException: boom", json.getString("error"));
        assertTrue(json.getString("time").endsWith("Z"));
    }

    @Test
    void anUnknownFormatStopsTheStartWithTheSettingsName() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JsonLogLines.applyIf("xml", "n"));
        assertTrue(e.getMessage().contains("switchboard.log.format"), e.getMessage());
    }

    @Test
    void settingsInForceHideSecretsAndPasswords() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of(
                "switchboard.api.key", "very-secret-key-0123456789",
                "switchboard.webhooks.secret", "webhooks-secret-0123456789,the-one-before-0123",
                "switchboard.redis.url", "redis://:hunter2@10.0.0.5:6379,redis://10.0.0.6:6379",
                "switchboard.support.accounts", "ann:agent:$2a$10$abc:2,sue:supervisor:$2a$10$def"));
        Map<String, String> shown = config.inForce();
        assertEquals("(set)", shown.get("switchboard.api.key"));
        assertEquals("(set)", shown.get("switchboard.webhooks.secret"), "what signs requests to the site's back end");
        assertEquals("", shown.get("switchboard.metrics.token"), "unset stays empty");
        assertEquals("redis://***@10.0.0.5:6379,redis://10.0.0.6:6379", shown.get("switchboard.redis.url"));
        assertEquals("ann:agent,sue:supervisor", shown.get("switchboard.support.accounts"));
        assertEquals("25s", shown.get("switchboard.heartbeat.interval"), "defaults shown as in force");
        assertEquals(Setting.values().length, shown.size());
    }
}

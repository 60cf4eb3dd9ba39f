package dev.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwitchboardConfigTest {

    @Test
    void defaultsApplyWhenNothingIsSet() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of());
        assertEquals(Duration.ofSeconds(25), config.duration(Setting.HEARTBEAT_INTERVAL));
        assertEquals(Duration.ofSeconds(60), config.duration(Setting.IDLE_TIMEOUT));
        assertEquals(65536, config.positiveInt(Setting.MESSAGE_MAX_BYTES));
        assertEquals(256, config.positiveInt(Setting.SEND_QUEUE_LIMIT));
    }

    @Test
    void durationsTakeUnits() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of(
                "switchboard.heartbeat.interval", "500ms", "switchboard.idle.timeout", "2m"));
        assertEquals(Duration.ofMillis(500), config.duration(Setting.HEARTBEAT_INTERVAL));
        assertEquals(Duration.ofMinutes(2), config.duration(Setting.IDLE_TIMEOUT));
        assertEquals(Duration.ofSeconds(7), SwitchboardConfig.of(Map.of("switchboard.idle.timeout", "7"))
                .duration(Setting.IDLE_TIMEOUT));
    }

    @Test
    void aSystemPropertyWinsOverTheEnvironment() {
        SwitchboardConfig config = new SwitchboardConfig(
                Map.of("switchboard.send.queue.limit", "10")::get,
                Map.of("SWITCHBOARD_SEND_QUEUE_LIMIT", "20", "SWITCHBOARD_MESSAGE_MAX_BYTES", "1024")::get);
        assertEquals(10, config.positiveInt(Setting.SEND_QUEUE_LIMIT));
        assertEquals(1024, config.positiveInt(Setting.MESSAGE_MAX_BYTES));
    }

    @Test
    void environmentNamesFollowThePropertyNames() {
        assertEquals("SWITCHBOARD_MESSAGE_MAX_BYTES", Setting.MESSAGE_MAX_BYTES.environmentVariable());
        assertEquals("SWITCHBOARD_HEARTBEAT_INTERVAL", Setting.HEARTBEAT_INTERVAL.environmentVariable());
    }

    @Test
    void badValuesFailNamingTheSetting() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SwitchboardConfig.of(Map.of("switchboard.idle.timeout", "soon")).duration(Setting.IDLE_TIMEOUT));
        assertTrue(e.getMessage().contains("switchboard.idle.timeout"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> SwitchboardConfig.of(Map.of("switchboard.send.queue.limit", "0")).positiveInt(Setting.SEND_QUEUE_LIMIT));
        assertThrows(IllegalStateException.class,
                () -> SwitchboardConfig.of(Map.of("switchboard.heartbeat.interval", "0s")).duration(Setting.HEARTBEAT_INTERVAL));
    }

    @org.junit.jupiter.api.Test
    void everySettingHasItsRowInTheReadmesConfigurationTable() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        for (Setting setting : Setting.values()) {
            String row = "| `" + setting.property() + "` | `" + setting.environmentVariable() + "` |";
            org.junit.jupiter.api.Assertions.assertTrue(readme.contains(row), "README lacks the row of " + setting.property());
        }
    }
}

package dev.switchboard.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ClockTickerTest {

    @Test
    void aTickIsTheServerLocalTimeInTheDocumentedShape() {
        LocalDateTime local = LocalDateTime.of(2026, 11, 21, 14, 59, 21);
        assertEquals("{\"time\":\"2026.11.21 14:59:21\"}",
                ClockTicker.tickFor(local.atZone(ZoneId.systemDefault()).toInstant()));
    }
}

package dev.switchboard.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** When the desk is open: spans of days and times in its zone. */
class BusinessHoursTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void openWithinItsSpansInTheDesksZoneOnly() {
        BusinessHours hours = BusinessHours.parse("Mon-Fri 09:00-17:00, Sat 10:00-14:00", BERLIN);
        // Monday 2026-11-23: 09:00 in Berlin is 08:00 UTC.
        assertFalse(hours.isOpen(Instant.parse("2026-11-23T07:59:00Z")));
        assertTrue(hours.isOpen(Instant.parse("2026-11-23T08:00:00Z")));
        assertFalse(hours.isOpen(Instant.parse("2026-11-23T16:00:00Z")), "17:00 there: closed");
        assertTrue(hours.isOpen(Instant.parse("2026-11-28T12:00:00Z")), "Saturday 13:00 there");
        assertFalse(hours.isOpen(Instant.parse("2026-11-29T12:00:00Z")), "Sunday");
    }

    @Test
    void emptyIsAlwaysOpenAndAMalformedSpanSaysWhatIsWrong() {
        assertTrue(BusinessHours.parse("", BERLIN).isOpen(Instant.parse("2026-11-29T03:00:00Z")));
        assertTrue(BusinessHours.parse("Fri-Mon 22:00-23:00", BERLIN).isOpen(Instant.parse("2026-11-29T21:30:00Z")),
                "a span of days may wrap past Sunday");
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> BusinessHours.parse("weekdays 9-5", BERLIN));
        assertEquals("'weekdays 9-5' is not like 'Mon-Fri 09:00-17:00'", wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BusinessHours.parse("Mon 17:00-09:00", BERLIN));
    }
}

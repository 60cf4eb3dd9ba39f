package dev.switchboard.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The wait shown to a customer: position over seats, times recent handle times, as a range. */
class WaitEstimateTest {

    private static final long FOUR_MINUTES = 240_000;

    @Test
    void withNoSeatThereIsNoEstimate() {
        assertEquals(Optional.empty(), WaitEstimate.of(1, 0, List.of(), FOUR_MINUTES));
    }

    @Test
    void untilEnoughConversationsWereHandledTheUsualHandleTimeStandsIn() {
        // First in line, 2 seats: from now to 1 × 1.5 × 4 min ÷ 2 = 180 s.
        assertEquals(Optional.of(new WaitEstimate(0, 180)), WaitEstimate.of(1, 2, List.of(60_000L), FOUR_MINUTES));
        // Fifth: 4 × 0.5 × 240 s ÷ 2 = 240 s to 5 × 1.5 × 240 s ÷ 2 = 900 s.
        assertEquals(Optional.of(new WaitEstimate(240, 900)), WaitEstimate.of(5, 2, List.of(), FOUR_MINUTES));
    }

    @Test
    void recentHandleTimesGiveTheRangeFromTheirQuartiles() {
        List<Long> handled = List.of(60_000L, 120_000L, 180_000L, 240_000L, 300_000L); // quartiles 120 s and 240 s
        assertEquals(Optional.of(new WaitEstimate(120, 480)), WaitEstimate.of(2, 1, handled, FOUR_MINUTES));
        assertEquals(Optional.of(new WaitEstimate(40, 160)), WaitEstimate.of(2, 3, handled, FOUR_MINUTES),
                "three seats free three times as fast");
    }
}

package dev.switchboard.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The wait shown to a customer, as docs/protocol.md states it: from (position - 1) × Q1 ÷ seats to
 * position × Q3 ÷ seats, the first in line possibly next at any moment.
 */
class WaitEstimateTest {

    private static final long FOUR_MINUTES = 240_000;
    private static final long ONE_MINUTE = 60_000;

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

    @Test
    void theProtocolsWorkedExampleWithAOneMinuteHandleTime() {
        // Fewer than five handled: Q1 = 30 s and Q3 = 90 s.
        assertEquals(Optional.of(new WaitEstimate(0, 90)), WaitEstimate.of(1, 1, List.of(), ONE_MINUTE),
                "the first in line may be next at any moment");
        assertEquals(Optional.of(new WaitEstimate(30, 180)), WaitEstimate.of(2, 1, List.of(), ONE_MINUTE),
                "the second waits for at least the first's seat to free");
        assertEquals(Optional.of(new WaitEstimate(0, 30)), WaitEstimate.of(1, 3, List.of(), ONE_MINUTE),
                "three seats: one of them frees within a third of the handle time");
    }

    @Test
    void theFifthHandleTimeReplacesTheConfiguredOne() {
        List<Long> four = List.of(600_000L, 600_000L, 600_000L, 600_000L);
        assertEquals(Optional.of(new WaitEstimate(0, 90)), WaitEstimate.of(1, 1, four, ONE_MINUTE), "four are not enough");
        List<Long> five = List.of(600_000L, 600_000L, 600_000L, 600_000L, 600_000L);
        assertEquals(Optional.of(new WaitEstimate(0, 600)), WaitEstimate.of(1, 1, five, ONE_MINUTE));
    }

    @Test
    void secondsAreRoundedToTheNearest() {
        // Q1 = 30 s, Q3 = 90 s, seven seats: 1 × 30 ÷ 7 = 4.29 s and 2 × 90 ÷ 7 = 25.71 s.
        assertEquals(Optional.of(new WaitEstimate(4, 26)), WaitEstimate.of(2, 7, List.of(), ONE_MINUTE));
    }
}

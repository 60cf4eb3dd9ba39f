package dev.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InboundBudgetTest {

    @Test
    void refusedFramesWithinTheWindowTurnIntoFloodingAndAQuietWindowForgetsThem() {
        InboundBudget budget = new InboundBudget(new InboundBudget.Limits(1, 1, 3), 0);
        long t = TimeUnit.SECONDS.toNanos(1);
        assertTrue(budget.take(t));
        assertFalse(budget.take(t), "a burst of one");
        assertFalse(budget.strike(t));
        assertFalse(budget.strike(t));
        assertFalse(budget.strike(t), "three strikes allowed");
        assertTrue(budget.strike(t), "the fourth within ten seconds is flooding");
        long later = t + InboundBudget.STRIKE_WINDOW_NANOS + 1;
        assertFalse(budget.strike(later), "a new window starts counting afresh");
    }
}

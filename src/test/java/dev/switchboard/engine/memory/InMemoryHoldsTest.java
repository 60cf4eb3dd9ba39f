package dev.switchboard.engine.memory;

import dev.switchboard.engine.Holds;
import dev.switchboard.engine.HoldsContract;

class InMemoryHoldsTest extends HoldsContract {

    private final InMemoryHolds holds = new InMemoryHolds();

    @Override
    protected Holds holds() {
        return holds;
    }
}

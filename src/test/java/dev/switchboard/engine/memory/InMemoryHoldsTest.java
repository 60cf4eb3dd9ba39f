package dev.switchboard.engine.memory;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Holds;
import dev.switchboard.engine.HoldsContract;
import java.util.Map;

class InMemoryHoldsTest extends HoldsContract {

    private final InMemoryEngine engine = InMemoryEngine.create(SwitchboardConfig.of(Map.of()));

    @Override
    protected Holds holds() {
        return engine.holds();
    }

    @Override
    protected Holds holdsOfASet(String set) {
        return engine.holds(set);
    }
}

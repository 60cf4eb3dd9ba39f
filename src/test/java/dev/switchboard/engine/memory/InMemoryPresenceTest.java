package dev.switchboard.engine.memory;

import dev.switchboard.engine.Presence;
import dev.switchboard.engine.PresenceContract;

class InMemoryPresenceTest extends PresenceContract {

    private final InMemoryPresence presence = InMemoryPresence.forTests();

    @Override
    protected Presence presence() {
        return presence;
    }
}

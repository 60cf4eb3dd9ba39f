package dev.switchboard.engine.memory;

import dev.switchboard.engine.Acknowledgements;
import dev.switchboard.engine.AcknowledgementsContract;

class InMemoryAcknowledgementsTest extends AcknowledgementsContract {

    private final InMemoryAcknowledgements acks = new InMemoryAcknowledgements();

    @Override
    protected Acknowledgements acknowledgements() {
        return acks;
    }
}

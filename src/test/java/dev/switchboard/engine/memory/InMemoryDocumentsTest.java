package dev.switchboard.engine.memory;

import dev.switchboard.engine.Documents;
import dev.switchboard.engine.DocumentsContract;
import java.time.Clock;

class InMemoryDocumentsTest extends DocumentsContract {

    private final InMemoryDocuments documents = new InMemoryDocuments(Clock.systemUTC());

    @Override
    protected Documents documents() {
        return documents;
    }
}

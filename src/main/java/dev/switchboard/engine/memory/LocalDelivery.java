package dev.switchboard.engine.memory;

import dev.switchboard.engine.Delivery;
import dev.switchboard.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Fan-out on this node only: straight to the registry's subscribers of the topic. */
@ApplicationScoped
public class LocalDelivery implements Delivery {

    @Inject
    SessionRegistry registry;

    @Override
    public Fanout enqueue(String topic, String text, String exceptConnectionId) {
        SessionRegistry.Queued queued = registry.enqueueToTopic(topic, text, exceptConnectionId);
        return new Fanout() {
            @Override
            public int reached() {
                return queued.reached();
            }

            @Override
            public void flush() {
                queued.write();
            }
        };
    }
}

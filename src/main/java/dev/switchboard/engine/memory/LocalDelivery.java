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
    public int publish(String topic, String text, String exceptConnectionId) {
        return registry.deliverToTopic(topic, text, exceptConnectionId);
    }
}

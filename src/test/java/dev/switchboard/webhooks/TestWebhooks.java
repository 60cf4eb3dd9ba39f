package dev.switchboard.webhooks;

import dev.switchboard.config.NodeId;
import dev.switchboard.testing.UnitNode;

/** A node's webhooks for unit tests of the features that emit events, wired and started as the server does. */
public final class TestWebhooks {

    private TestWebhooks() {
    }

    /** The node's webhooks (off unless its settings name a URL), started. */
    public static Webhooks of(UnitNode node, String nodeId) {
        Webhooks webhooks = new Webhooks();
        webhooks.config = node.config;
        webhooks.engine = node.engine;
        webhooks.node = NodeId.of(nodeId);
        webhooks.executors = node.executors;
        webhooks.meters = node.meters;
        webhooks.readSettings();
        webhooks.start(null);
        return webhooks;
    }

    /** Lets the couriers' holds go, as an undeploy does. */
    public static void stop(Webhooks webhooks) {
        webhooks.stop();
    }
}

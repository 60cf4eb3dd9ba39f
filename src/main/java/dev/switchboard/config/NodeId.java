package dev.switchboard.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.logging.Logger;

/**
 * This node's name among the nodes serving one site: {@code switchboard.node.id}, or random when unset.
 * It is in every connection's id (so ids are unique across nodes), in the chat {@code welcome}, and in
 * the start-up log line.
 */
@ApplicationScoped
public class NodeId {

    private static final Logger LOG = Logger.getLogger(NodeId.class.getName());

    @Inject
    SwitchboardConfig config;

    private String id;

    /** A node id outside the container, for unit tests. */
    public static NodeId of(String id) {
        NodeId node = new NodeId();
        node.id = id;
        return node;
    }

    @PostConstruct
    void read() {
        String configured = config.text(Setting.NODE_ID);
        if (configured.isEmpty()) {
            byte[] random = new byte[4];
            new SecureRandom().nextBytes(random);
            id = HexFormat.of().formatHex(random);
        } else if (configured.matches("[A-Za-z0-9_-]{1,32}")) {
            id = configured;
        } else {
            throw new IllegalStateException("Setting " + Setting.NODE_ID.property() + " (" + Setting.NODE_ID.environmentVariable()
                    + ") is '" + configured + "', expected 1-32 letters, digits, '_' or '-'");
        }
        JsonLogLines.applyIf(config.text(Setting.LOG_FORMAT), id);
        LOG.info(() -> "Switchboard node " + id + " starting with " + config.inForce());
    }

    public String get() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}

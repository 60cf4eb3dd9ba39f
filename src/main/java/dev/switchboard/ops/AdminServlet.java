package dev.switchboard.ops;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Engine;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Presence;
import dev.switchboard.engine.Places;
import dev.switchboard.protocol.HttpJson;
import dev.switchboard.security.ApiKey;
import dev.switchboard.security.Names;
import dev.switchboard.session.Connection;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.webhooks.Webhooks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the admin page reads, with the API key: {@code GET /api/admin/stats} (this node's connections
 * and running totals, from its meters; the page turns totals into rates), {@code GET /api/admin/settings}
 * (the settings in force, secrets hidden), {@code GET /api/admin/users/{user}} (the user's connections
 * on this node, and whether they have any on some node) and {@code GET /api/admin/webhooks} (each webhook
 * URL's sender, backlog and this node's recent tries).
 */
@WebServlet("/api/admin/*")
public class AdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    ApiKey apiKey;

    @Inject
    MeterRegistry meters;

    @Inject
    SessionRegistry registry;

    @Inject
    Engine engine;

    @Inject
    Presence presence;

    @Inject
    Places places;

    @Inject
    NodeId node;

    @Inject
    SwitchboardConfig config;

    @Inject
    Webhooks webhooks;

    /** This node now: connections by endpoint, and running totals since it started. */
    public record Stats(String node, String engine, List<String> nodes, long time, Map<String, Integer> connections,
            long messages, long deliveries, long refusals, long handshakeRefusals, long framesIn, long framesOut) {
    }

    /** One connection of a user on this node. */
    public record Seen(String id, String endpoint, List<String> topics) {
    }

    /** A user as this node sees them. */
    public record UserConnections(String user, boolean online, String node, List<Seen> here) {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!apiKey.admits(request, response)) {
            return;
        }
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        try {
            if (path.equals("/stats")) {
                HttpJson.write(response, HttpServletResponse.SC_OK, stats());
            } else if (path.equals("/settings")) {
                HttpJson.write(response, HttpServletResponse.SC_OK, config.inForce());
            } else if (path.equals("/webhooks")) {
                HttpJson.write(response, HttpServletResponse.SC_OK, Map.of("webhooks", webhooks.report()));
            } else if (path.startsWith("/users/") && Names.isUser(path.substring("/users/".length()))) {
                HttpJson.write(response, HttpServletResponse.SC_OK, user(path.substring("/users/".length())));
            } else {
                HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found",
                        "Use /api/admin/stats, /api/admin/settings, /api/admin/users/{user} or /api/admin/webhooks");
            }
        } catch (EngineUnavailable e) {
            HttpJson.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", "The store cannot be reached now");
        }
    }

    private Stats stats() {
        Map<String, Integer> connections = new TreeMap<>();
        for (Connection c : registry.connections()) {
            connections.merge(c.channel().name(), 1, Integer::sum);
        }
        List<String> nodes = presence.nodes();
        return new Stats(node.get(), engine.describe(), nodes.isEmpty() ? List.of(node.get()) : nodes, System.currentTimeMillis(),
                connections, meters.find("switchboard.publish.latency").timers().stream().mapToLong(Timer::count).sum(),
                total("switchboard.deliveries"), total("switchboard.refusals"), total("switchboard.handshake.refusals"),
                total("switchboard.frames.in"), total("switchboard.frames.out"));
    }

    /** A counter's total over all its tags. */
    private long total(String name) {
        double counted = meters.find(name).counters().stream().mapToDouble(Counter::count).sum()
                + meters.find(name).functionCounters().stream().mapToDouble(FunctionCounter::count).sum();
        return (long) counted;
    }

    private UserConnections user(String user) {
        List<Seen> here = registry.connections().stream().filter(c -> user.equals(c.user()))
                .map(c -> new Seen(c.id(), c.channel().name(), c.topics().stream().sorted().toList())).toList();
        return new UserConnections(user, !here.isEmpty() || places.anyTaken(user), node.get(), here);
    }
}

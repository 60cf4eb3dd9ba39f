package dev.switchboard.ops;

import dev.switchboard.engine.Engine;
import dev.switchboard.protocol.HttpJson;
import dev.switchboard.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health/live}: the process answers (200). {@code GET /health/ready}: it should get traffic
 * (200) or not (503): the application has started, the engine's store answers, and the server is not
 * going away (draining after SIGTERM or undeploy). Both as JSON with each check, in the shape
 * MicroProfile Health uses ({@code status}, {@code checks[]} with {@code name}, {@code status}, {@code data}).
 */
@WebServlet({"/health/live", "/health/ready"})
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    Engine engine;

    @Inject
    SessionRegistry registry;

    @Inject
    Started started;

    /** One check: a name, UP or DOWN, and what it saw. */
    public record Check(String name, String status, Map<String, Object> data) {
        static Check of(String name, boolean up, Map<String, Object> data) {
            return new Check(name, up ? "UP" : "DOWN", data);
        }
    }

    /** The answer: UP when every check is. */
    public record Health(String status, List<Check> checks) {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<Check> checks = request.getServletPath().endsWith("/live")
                ? List.of(Check.of("process", true, Map.of("connections", registry.count())))
                : List.of(Check.of("started", started.done(), Map.of()),
                        Check.of("engine", engine.reachable(), data("engine", engine.describe())),
                        Check.of("not-going-away", !registry.goingAway(), Map.of()));
        boolean up = checks.stream().allMatch(c -> c.status().equals("UP"));
        HttpJson.write(response, up ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                new Health(up ? "UP" : "DOWN", checks));
    }

    private static Map<String, Object> data(String key, Object value) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(key, value);
        return data;
    }
}

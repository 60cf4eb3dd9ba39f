package dev.switchboard.testing;

import dev.switchboard.session.Channel;
import dev.switchboard.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;

/** Test-only window into the server: live threads and registered connections per channel, as JSON. */
@WebServlet("/test-probe")
public class ServerProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    SessionRegistry registry;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StringBuilder json = new StringBuilder("{\"threads\":")
                .append(ManagementFactory.getThreadMXBean().getThreadCount())
                .append(",\"connections\":").append(registry.count());
        for (Channel channel : Channel.values()) {
            json.append(",\"").append(channel.name().toLowerCase()).append("\":").append(registry.count(channel));
        }
        if (request.getParameter("threadNames") != null) {
            java.util.Map<String, Integer> pools = new java.util.TreeMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                pools.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
            }
            json.append(",\"pools\":\"").append(pools.toString().replace("\"", "'")).append('"');
        }
        response.setContentType("application/json");
        response.getWriter().print(json.append('}'));
    }
}

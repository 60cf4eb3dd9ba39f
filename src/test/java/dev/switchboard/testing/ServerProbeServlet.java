package dev.switchboard.testing;

import dev.switchboard.chat.ChatService;
import dev.switchboard.clock.ClockTicker;
import dev.switchboard.echo.EchoEndpoint;
import dev.switchboard.engine.Engine;
import dev.switchboard.engine.memory.InMemoryLogs;
import dev.switchboard.session.Channel;
import dev.switchboard.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Test-only window into the server: live server threads and registered connections per channel, as
 * JSON. Where the server runs inside the test JVM (embedded Tomcat), the test client's own threads
 * (Tyrus, Grizzly, the JDK HTTP client) are not counted.
 */
@WebServlet("/test-probe")
public class ServerProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    SessionRegistry registry;

    @Inject
    Engine engine;

    private static boolean isTestClientThread(Thread t) {
        String name = t.getName();
        return name.startsWith("Grizzly(") || name.startsWith("tyrus-") || name.startsWith("HttpClient-");
    }

    /**
     * The class of the scheduler Tyrus arms its per-frame idle timers on, or {@code none} where the
     * WebSocket container is not Tyrus (WildFly, Tomcat).
     */
    private String tyrusScheduler() {
        Object container = getServletContext().getAttribute(ServerContainer.class.getName());
        for (Class<?> type = container == null ? null : container.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals("org.glassfish.tyrus.core.BaseContainer")) {
                try {
                    Method getter = type.getMethod("getScheduledExecutorService");
                    return getter.invoke(container).getClass().getName();
                } catch (ReflectiveOperationException e) {
                    return "unreadable: " + e;
                }
            }
        }
        return "none";
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StringBuilder json = new StringBuilder("{\"threads\":")
                .append(Thread.getAllStackTraces().keySet().stream().filter(t -> !isTestClientThread(t)).count())
                .append(",\"connections\":").append(registry.count())
                .append(",\"policyCloses\":").append(registry.policyCloses());
        for (Channel channel : List.of(EchoEndpoint.CHANNEL, ClockTicker.CHANNEL, ChatService.CHANNEL)) {
            json.append(",\"").append(channel.name()).append("\":").append(registry.count(channel));
        }
        String user = request.getParameter("user");
        if (user != null) {
            json.append(",\"userConnections\":")
                    .append(registry.connections().stream().filter(c -> user.equals(c.user())).count());
        }
        if (request.getParameter("bounds") != null) {
            System.gc(); // what the heap holds, not what garbage has not been collected yet
            Runtime runtime = Runtime.getRuntime();
            InMemoryLogs history = (InMemoryLogs) engine.logs(); // the tests' servers run in memory
            json.append(",\"historyRooms\":").append(history.logCount())
                    .append(",\"historyBytes\":").append(history.bytes())
                    .append(",\"heapUsed\":").append(runtime.totalMemory() - runtime.freeMemory());
        }
        json.append(",\"tyrusScheduler\":\"").append(tyrusScheduler()).append('"');
        if (request.getParameter("threadNames") != null) {
            java.util.Map<String, Integer> pools = new java.util.TreeMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (isTestClientThread(t)) {
                    continue;
                }
                pools.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
            }
            json.append(",\"pools\":\"").append(pools.toString().replace("\"", "'")).append('"');
        }
        response.setContentType("application/json");
        response.getWriter().print(json.append('}'));
    }
}

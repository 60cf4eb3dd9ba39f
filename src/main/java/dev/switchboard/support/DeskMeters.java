package dev.switchboard.support;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.function.ToDoubleFunction;

/** The desk as {@code /metrics} shows it, from the desk this node last read (every node shows the same desk). */
@ApplicationScoped
public class DeskMeters {

    @Inject
    DeskViews views;

    @Inject
    MeterRegistry meters;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        gauge("switchboard.support.queue.length", "Customers waiting for an agent", desk -> desk.queue.size());
        for (String status : new String[] {"available", "away", "offline"}) {
            Gauge.builder("switchboard.support.agents", views, v -> agents(v.latest().desk(), status)).tag("status", status)
                    .description("Agents by status (offline: no connection open)").register(meters);
        }
        gauge("switchboard.support.wait.seconds", "Today's average wait before an agent answered",
                desk -> desk.today.answered == 0 ? 0 : desk.today.waitMillisTotal / 1000.0 / desk.today.answered);
        gauge("switchboard.support.handle.seconds", "Today's average handle time of closed conversations",
                desk -> desk.today.handled == 0 ? 0 : desk.today.handleMillisTotal / 1000.0 / desk.today.handled);
        views.refreshSoon();
    }

    private void gauge(String name, String description, ToDoubleFunction<Desk> value) {
        Gauge.builder(name, views, v -> value.applyAsDouble(v.latest().desk())).description(description).register(meters);
    }

    private static long agents(Desk desk, String status) {
        return desk.agents.values().stream().filter(a -> switch (status) {
            case "offline" -> !a.online;
            case "available" -> a.online && a.status == Desk.Status.AVAILABLE;
            default -> a.online && a.status == Desk.Status.AWAY;
        }).count();
    }
}

package dev.switchboard.metrics;

import dev.switchboard.config.NodeId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * This node's meter registry, every meter tagged with the node's id, with the JVM's own meters (memory,
 * garbage collection, threads, CPU, uptime) bound at start.
 */
@ApplicationScoped
public class Meters {

    @Inject
    NodeId node;

    private PrometheusMeterRegistry registry;
    private JvmGcMetrics gc;

    @PostConstruct
    void start() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("node", node.get());
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    @PreDestroy
    void stop() {
        gc.close();
        registry.close();
    }

    /** The registry parts count into (the same one each time: the scope is this bean's). */
    @Produces
    @Dependent
    MeterRegistry registry() {
        return registry;
    }

    /** Every meter in Prometheus's text format, version 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }
}

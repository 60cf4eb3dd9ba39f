package dev.switchboard.engine.wiring;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Acknowledgements;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Documents;
import dev.switchboard.engine.Engine;
import dev.switchboard.engine.Holds;
import dev.switchboard.engine.Logs;
import dev.switchboard.engine.Presence;
import dev.switchboard.engine.Places;
import dev.switchboard.engine.memory.InMemoryEngine;
import dev.switchboard.engine.redis.RedisEngine;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/** Starts the engine the settings ask for and hands its parts to whoever injects them. */
@ApplicationScoped
public class EngineProducer {

    private static final Logger LOG = Logger.getLogger(EngineProducer.class.getName());

    @Inject
    SwitchboardConfig config;

    @Inject
    NodeId node;

    @Inject
    MeterRegistry meters;

    private Engine engine;

    @PostConstruct
    void start() {
        String url = config.text(Setting.REDIS_URL).trim();
        engine = url.isEmpty() ? InMemoryEngine.create(config) : RedisEngine.connect(url, config, node.get());
        engine.meter(meters);
        LOG.info(() -> "Switchboard node " + node.get() + ": engine " + engine.describe());
    }

    /**
     * Started with the application, not at the first use: a Redis that cannot be reached stops the
     * deployment with a message that says so, instead of failing every connection later.
     */
    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        // Observing is enough: the container has made this bean, and start() has run.
    }

    @PreDestroy
    void stop() {
        engine.close();
    }

    /** The engine itself, for readiness checks and tests. */
    @Produces
    @ApplicationScoped
    Engine engine() {
        return engine;
    }

    @Produces
    @ApplicationScoped
    Logs logs() {
        return engine.logs();
    }

    @Produces
    @ApplicationScoped
    Bus bus() {
        return engine.bus();
    }

    @Produces
    @ApplicationScoped
    Presence presence() {
        return engine.presence();
    }

    @Produces
    @ApplicationScoped
    Acknowledgements acknowledgements() {
        return engine.acknowledgements();
    }

    @Produces
    @ApplicationScoped
    Places places() {
        return engine.places();
    }

    @Produces
    @ApplicationScoped
    Holds holds() {
        return engine.holds();
    }

    @Produces
    @ApplicationScoped
    Documents documents() {
        return engine.documents();
    }
}

package dev.switchboard.webhooks;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Engine;
import dev.switchboard.engine.Logs;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.security.BackendSignature;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The site's back end told what happens: each feature {@linkplain #emit emits} an event, which is
 * queued for every URL of {@code switchboard.webhooks.url}, and each URL's {@link Courier} sends its
 * queue from one node. Off (every call a no-op) while no URL is set.
 */
@ApplicationScoped
public class Webhooks {

    private static final Logger LOG = Logger.getLogger(Webhooks.class.getName());
    /** How often each node looks after its couriers (takes or renews holds, sends what waits). */
    static final long ROUND_MILLIS = 500;
    /** The hold set of the couriers: who sends which URL's events. */
    static final String HOLDS = "webhooks";

    @Inject
    SwitchboardConfig config;

    @Inject
    Engine engine;

    @Inject
    NodeId node;

    @Inject
    ServerExecutors executors;

    @Inject
    MeterRegistry meters;

    Clock clock = Clock.systemUTC();
    private EventTypes types;
    private List<Courier> couriers = List.of();
    private ScheduledFuture<?> rounds;

    @PostConstruct
    void readSettings() {
        types = EventTypes.of(config.text(Setting.WEBHOOKS_EVENTS));
        List<URI> urls = urls(config.text(Setting.WEBHOOKS_URL));
        if (urls.isEmpty()) {
            return;
        }
        BackendSignature signature;
        try {
            signature = BackendSignature.of(config.text(Setting.WEBHOOKS_SECRET));
        } catch (IllegalArgumentException e) {
            throw SwitchboardConfig.invalid(Setting.WEBHOOKS_SECRET, "(not shown)",
                    "a secret of at least " + BackendSignature.MIN_SECRET_BYTES + " bytes to sign the events of "
                    + Setting.WEBHOOKS_URL.property() + " (" + e.getMessage() + ")");
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.duration(Setting.WEBHOOKS_TIMEOUT)).executor(executors.work()).build();
        // Not kept as an offline user's whispers are (those count against switchboard.inbox.max-total): every
        // node with webhooks listens to its URLs' queues instead, and a log somebody listens to is never dropped.
        Logs.Retention retention = new Logs.Retention(config.positiveInt(Setting.WEBHOOKS_BACKLOG),
                config.duration(Setting.WEBHOOKS_MAX_AGE), false);
        List<Courier> made = new ArrayList<>();
        for (URI url : urls) {
            made.add(new Courier(url, engine.logs(), engine.holds(HOLDS), node.get(), http, signature,
                    config.duration(Setting.WEBHOOKS_TIMEOUT), config.duration(Setting.WEBHOOKS_RETRY_MAX).toMillis(),
                    config.duration(Setting.PRESENCE_LEASE).toMillis(), retention, clock, meters));
        }
        couriers = List.copyOf(made);
    }

    private static List<URI> urls(String setting) {
        List<URI> urls = new ArrayList<>();
        for (String text : Arrays.stream(setting.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            try {
                URI url = new URI(text);
                if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                    throw new URISyntaxException(text, "not an http or https URL with a host");
                }
                urls.add(url);
            } catch (URISyntaxException e) {
                throw SwitchboardConfig.invalid(Setting.WEBHOOKS_URL, setting, "http(s) URLs, comma-separated (" + e.getMessage() + ")");
            }
        }
        return urls;
    }

    /** Starts sending with the application (a bad setting stops the start, with a message naming it). */
    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (!couriers.isEmpty()) {
            couriers.forEach(courier -> engine.bus().interested(courier.log()));
            rounds = executors.every("Sending webhook events", () -> couriers.forEach(Courier::round),
                    ROUND_MILLIS, TimeUnit.MILLISECONDS);
            LOG.info(() -> "Webhook events go to " + couriers.size() + " URL(s); the node holding each URL's hold sends them");
        }
    }

    /** Whether events of this type are sent (to any URL): a feature may skip the work of making one otherwise. */
    public boolean wants(String type) {
        return !couriers.isEmpty() && types.includes(type);
    }

    /**
     * Queues an event for every URL, if its type is sent: {@code data} becomes the event's {@code data}
     * (a record, written as JSON). Returns at once; the store keeps it, and a courier sends it, later.
     * An engine that is away loses the event, with a warning: what happened has happened regardless.
     */
    public void emit(String type, Object data) {
        if (!wants(type)) {
            return;
        }
        meters.counter("switchboard.webhooks.events", "type", type).increment();
        // Written around the data, which is written once, by the one codec: nothing is parsed back.
        String body = "{\"id\":" + FrameCodec.toJson(UUID.randomUUID().toString()) + ",\"type\":" + FrameCodec.toJson(type)
                + ",\"time\":" + FrameCodec.toJson(Instant.ofEpochMilli(clock.millis()).toString())
                + ",\"node\":" + FrameCodec.toJson(node.get()) + ",\"data\":" + FrameCodec.toJson(data) + "}";
        for (Courier courier : couriers) {
            try {
                courier.enqueue(body).whenComplete((queued, failure) -> {
                    if (failure != null) {
                        LOG.log(Level.WARNING, "A {0} webhook event could not be queued: {1}", new Object[] {type, failure.toString()});
                    }
                });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A {0} webhook event could not be queued: {1}", new Object[] {type, e.toString()});
            }
        }
    }

    /** Each URL's sender, backlog and recent tries, for the admin page. */
    public List<CourierReport> report() {
        return couriers.stream().map(Courier::report).toList();
    }

    @PreDestroy
    void stop() {
        if (rounds != null) {
            rounds.cancel(false);
        }
        for (Courier courier : couriers) {
            try {
                courier.release();
            } catch (RuntimeException e) {
                LOG.fine(() -> "Letting a webhook hold go failed: " + e);
            }
        }
    }
}

package dev.switchboard.engine.redis;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Acknowledgements;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Documents;
import dev.switchboard.engine.Engine;
import dev.switchboard.engine.EngineUnavailable;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.switchboard.engine.Holds;
import dev.switchboard.engine.Logs;
import dev.switchboard.engine.Presence;
import dev.switchboard.engine.Places;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * State on Redis, shared by every node that points at the same servers. Logs and their pub/sub are
 * spread over the servers listed ({@link Sharded}: a log lives on one); presence, node leases, places,
 * name holds, documents and client-id claims live on the first. Each server has a connection for commands and one for pub/sub.
 */
public final class RedisEngine implements Engine {

    private static final Logger LOG = Logger.getLogger(RedisEngine.class.getName());
    /** How long a command may take before it counts as failed. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final List<RedisShard> shards;
    private final Logs logs;
    private final Bus bus;
    private final RedisPresence presence;
    private final RedisAcknowledgements acknowledgements;
    private final RedisHolds holds;
    private final Map<String, RedisHolds> holdSets = new ConcurrentHashMap<>();
    private final RedisDocuments documents;
    /**
     * Where the results of asynchronous commands are handed on. Lettuce completes them on its event loop,
     * and a caller that goes on to a synchronous command there (an acknowledgement, say) would wait on
     * the very thread that must read its answer: it times out, and every command after it.
     */
    private final ExecutorService callbacks;

    private RedisEngine(List<RedisShard> shards, ExecutorService callbacks, String node, long leaseMillis) {
        this.shards = shards;
        this.callbacks = callbacks;
        this.logs = Sharded.logs(shards);
        this.bus = Sharded.bus(shards);
        this.presence = new RedisPresence(shards.get(0).commands, node, leaseMillis);
        this.acknowledgements = new RedisAcknowledgements(shards.get(0).commands);
        this.holds = new RedisHolds(shards.get(0).commands, "");
        this.documents = new RedisDocuments(shards.get(0).commands);
    }

    /**
     * Connects to the Redis servers in the setting: one URL, or several separated by commas
     * ({@code redis://[:password@]host:port[/db]}, or {@code rediss://} for TLS).
     *
     * @throws IllegalStateException saying what to do, when one cannot be reached
     */
    public static RedisEngine connect(String urls, SwitchboardConfig config, String nodeId) {
        ExecutorService callbacks = Executors.newFixedThreadPool(4, new ThreadFactory() {
            private final AtomicInteger made = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
                Thread thread = new Thread(r, "switchboard-redis-" + made.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }
        });
        List<RedisShard> shards = new ArrayList<>();
        try {
            for (String url : urls.split(",")) {
                if (!url.isBlank()) {
                    shards.add(RedisShard.connect(url.trim(), nodeId, callbacks));
                }
            }
            if (shards.isEmpty()) {
                throw new IllegalStateException("switchboard.redis.url lists no Redis URL");
            }
        } catch (RuntimeException e) {
            shards.forEach(RedisShard::close);
            callbacks.shutdown();
            throw e;
        }
        RedisEngine engine = new RedisEngine(List.copyOf(shards), callbacks, nodeId,
                config.duration(Setting.PRESENCE_LEASE).toMillis());
        // A run of this node before a restart (same id) may have left presence behind: none of it is true now.
        engine.presence.sweepEarlierRun();
        engine.presence.renew();
        for (RedisShard shard : shards) {
            // Every connection is up now: each activation from here on is a reconnect.
            shard.client.getResources().eventBus().get()
                    .filter(ConnectionActivatedEvent.class::isInstance)
                    .subscribe(activated -> engine.reconnects.increment());
        }
        return engine;
    }

    /** Commands that failed (Redis away, or slower than the command timeout), on every shard, since start. */
    private static final LongAdder FAILED_COMMANDS = new LongAdder();
    /** Connections to Redis (commands or pub/sub) made again after they were lost. */
    private final LongAdder reconnects = new LongAdder();

    /** A Redis failure as the seam names it. */
    static EngineUnavailable unavailable(RuntimeException e) {
        FAILED_COMMANDS.increment();
        return new EngineUnavailable("Redis cannot be reached: " + rootMessage(e), e);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    @Override
    public Logs logs() {
        return logs;
    }

    @Override
    public Bus bus() {
        return bus;
    }

    @Override
    public Presence presence() {
        return presence;
    }

    @Override
    public Acknowledgements acknowledgements() {
        return acknowledgements;
    }

    @Override
    public Places places() {
        return presence;
    }

    @Override
    public Holds holds() {
        return holds;
    }

    @Override
    public Holds holds(String set) {
        return holdSets.computeIfAbsent(set, s -> new RedisHolds(shards.get(0).commands, s));
    }

    @Override
    public Documents documents() {
        return documents;
    }

    @Override
    public void meter(MeterRegistry meters) {
        FunctionCounter.builder("switchboard.redis.commands.failed", FAILED_COMMANDS, LongAdder::sum)
                .description("Redis commands that failed or timed out").register(meters);
        FunctionCounter.builder("switchboard.redis.reconnects", reconnects, LongAdder::sum)
                .description("Connections to Redis made again after they were lost").register(meters);
    }

    @Override
    public boolean reachable() {
        for (RedisShard shard : shards) {
            try {
                if (!"PONG".equals(shard.commands.sync().ping())) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String describe() {
        return "Redis at " + String.join(", ", shards.stream().map(s -> s.where).toList())
                + (shards.size() > 1 ? " (rooms spread over " + shards.size() + ")" : "");
    }

    @Override
    public void close() {
        shards.forEach(RedisShard::close);
        callbacks.shutdown();
        LOG.info(() -> "Disconnected from " + describe());
    }
}

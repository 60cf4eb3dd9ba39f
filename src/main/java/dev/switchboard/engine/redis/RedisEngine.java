package dev.switchboard.engine.redis;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Acknowledgements;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Engine;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Logs;
import dev.switchboard.engine.Presence;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * State on a Redis server, shared by every node that points at it: one connection for commands (shared
 * by all threads, never blocking one on the network) and one for pub/sub. Both reconnect by themselves;
 * while Redis is away, commands fail at once (the features answer {@code unavailable}) instead of
 * queueing without bound.
 */
public final class RedisEngine implements Engine {

    private static final Logger LOG = Logger.getLogger(RedisEngine.class.getName());
    /** How long a command may take before it counts as failed. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final RedisLogs logs;
    private final RedisBus bus;
    private final RedisPresence presence;
    private final RedisAcknowledgements acknowledgements;
    private final String where;
    /**
     * Where the results of asynchronous commands are handed on. Lettuce completes them on its event loop,
     * and a caller that goes on to a synchronous command there (an acknowledgement, say) would wait on
     * the very thread that must read its answer: it times out, and every command after it.
     */
    private final ExecutorService callbacks = Executors.newFixedThreadPool(4, new ThreadFactory() {
        private final AtomicInteger made = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread thread = new Thread(r, "switchboard-redis-" + made.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    private RedisEngine(RedisClient client, StatefulRedisConnection<String, String> commands,
            StatefulRedisPubSubConnection<String, String> pubsub, String where, String node, long leaseMillis) {
        this.client = client;
        this.commands = commands;
        this.pubsub = pubsub;
        this.where = where;
        this.logs = new RedisLogs(commands, callbacks);
        this.bus = new RedisBus(pubsub, commands, callbacks);
        this.presence = new RedisPresence(commands, node, leaseMillis);
        this.acknowledgements = new RedisAcknowledgements(commands);
    }

    /**
     * Connects to the Redis server at the URL ({@code redis://[:password@]host:port[/db]}, or
     * {@code rediss://} for TLS).
     *
     * @throws IllegalStateException saying what to do, when it cannot be reached
     */
    public static RedisEngine connect(String url, SwitchboardConfig config, String nodeId) {
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("switchboard.redis.url is not a Redis URL (redis://host:port or rediss://...): "
                    + e.getMessage(), e);
        }
        uri.setClientName("switchboard-" + nodeId);
        String where = (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        try {
            StatefulRedisConnection<String, String> commands = client.connect();
            StatefulRedisPubSubConnection<String, String> pubsub = client.connectPubSub();
            RedisEngine engine = new RedisEngine(client, commands, pubsub, where, nodeId,
                    config.duration(Setting.PRESENCE_LEASE).toMillis());
            // A run of this node before a restart (same id) may have left presence behind: none of it is true now.
            engine.presence.sweepEarlierRun();
            engine.presence.renew();
            return engine;
        } catch (RedisConnectionException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw new IllegalStateException("Redis at " + where + " cannot be reached (" + rootMessage(e)
                    + "). Start it, fix switchboard.redis.url (SWITCHBOARD_REDIS_URL), or unset it to run one node in memory.", e);
        }
    }

    /** A Redis failure as the seam names it. */
    static EngineUnavailable unavailable(RuntimeException e) {
        return new EngineUnavailable("Redis cannot be reached: " + rootMessage(e), e);
    }

    private static String rootMessage(Throwable e) {
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
    public String describe() {
        return "Redis at " + where;
    }

    @Override
    public void close() {
        bus.close();
        callbacks.shutdown();
        pubsub.close();
        commands.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
        LOG.info(() -> "Disconnected from Redis at " + where);
    }
}

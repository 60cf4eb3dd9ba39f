package dev.switchboard.engine.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One Redis server of the engine: a connection for commands (shared by all threads, never blocking one
 * on the network) and one for pub/sub, both reconnecting by themselves, with the logs and the bus kept
 * on that server. While it is away, commands fail at once (the features answer {@code unavailable})
 * instead of queueing without bound.
 */
final class RedisShard {

    final String where;
    final RedisClient client;
    final StatefulRedisConnection<String, String> commands;
    final StatefulRedisPubSubConnection<String, String> pubsub;
    final RedisLogs logs;
    final RedisBus bus;

    private RedisShard(String where, RedisClient client, StatefulRedisConnection<String, String> commands,
            StatefulRedisPubSubConnection<String, String> pubsub, Executor callbacks) {
        this.where = where;
        this.client = client;
        this.commands = commands;
        this.pubsub = pubsub;
        this.logs = new RedisLogs(commands, callbacks);
        this.bus = new RedisBus(pubsub, commands, callbacks);
    }

    /** Connects to one server; throws {@link IllegalStateException} saying what to do when it cannot. */
    static RedisShard connect(String url, String nodeId, Executor callbacks) {
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
                .timeoutOptions(TimeoutOptions.enabled(RedisEngine.COMMAND_TIMEOUT))
                .build());
        try {
            return new RedisShard(where, client, client.connect(), client.connectPubSub(), callbacks);
        } catch (RedisConnectionException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw new IllegalStateException("Redis at " + where + " cannot be reached (" + RedisEngine.rootMessage(e)
                    + "). Start it, fix switchboard.redis.url (SWITCHBOARD_REDIS_URL), or unset it to run one node in memory.", e);
        }
    }

    void close() {
        bus.close();
        pubsub.close();
        commands.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}

package dev.switchboard.engine.redis;

import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Entry;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bus on Redis pub/sub: a channel per topic, subscribed while this node is interested in it.
 * Messages are {@code e<offset>:<epoch>:<body>} for a log's entries (published by the append script)
 * and {@code s<except>:<text>} for signals. One connection delivers them in the order Redis published
 * them, on Lettuce's thread, which the listener never blocks.
 *
 * <p>When the connection comes back after a drop, Lettuce resubscribes; a moment later the listener is
 * told, so followers read what was published meanwhile from the logs.
 */
final class RedisBus implements Bus {

    private static final Logger LOG = Logger.getLogger(RedisBus.class.getName());
    /** After a reconnection, the wait before followers catch up, so that the resubscriptions are in place. */
    static final long SETTLE_MILLIS = 300;

    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final RedisAsyncCommands<String, String> commands;
    private final ScheduledExecutorService settle = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "switchboard-redis-bus");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean wasDown = new AtomicBoolean();
    private volatile Listener listener;
    private final Executor callbacks;

    RedisBus(StatefulRedisPubSubConnection<String, String> pubsub, StatefulRedisConnection<String, String> commands,
            Executor callbacks) {
        this.pubsub = pubsub;
        this.callbacks = callbacks;
        this.commands = commands.async();
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                deliver(channel, message);
            }
        });
        pubsub.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (wasDown.compareAndSet(false, true)) {
                    LOG.warning("Lost the pub/sub connection to Redis; reconnecting");
                }
            }

            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                if (wasDown.compareAndSet(true, false)) {
                    LOG.info(() -> "Pub/sub connection to Redis back (" + address + "); catching up on what was missed");
                    settle.schedule(RedisBus.this::reconnected, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
        });
    }

    private void reconnected() {
        Listener l = listener;
        if (l != null) {
            l.reconnected();
        }
    }

    private void deliver(String channel, String message) {
        Listener l = listener;
        if (l == null || message.isEmpty()) {
            return;
        }
        try {
            String topic = Keys.topicOf(channel);
            int a = message.indexOf(':');
            if (message.charAt(0) == 'e') {
                int b = message.indexOf(':', a + 1);
                l.entry(new Entry(topic, Long.parseLong(message.substring(1, a)), message.substring(a + 1, b),
                        message.substring(b + 1))).run();
            } else if (message.charAt(0) == 's') {
                String except = message.substring(1, a);
                l.signal(topic, message.substring(a + 1), except.isEmpty() ? null : except);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "A message on " + channel + " could not be handled");
        }
    }

    @Override
    public void listen(Listener listener) {
        this.listener = listener;
    }

    @Override
    public CompletionStage<Void> interested(String topic) {
        return pubsub.async().subscribe(Keys.channel(topic)).thenApplyAsync(subscribed -> subscribed, callbacks);
    }

    @Override
    public void uninterested(String topic) {
        pubsub.async().unsubscribe(Keys.channel(topic));
    }

    @Override
    public void signal(String topic, String text, String exceptConnectionId) {
        commands.publish(Keys.channel(topic), "s" + (exceptConnectionId == null ? "" : exceptConnectionId) + ":" + text);
    }

    void close() {
        settle.shutdownNow();
    }
}

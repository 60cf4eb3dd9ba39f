package dev.switchboard.engine.redis;

import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.concurrent.CompletionStage;

/**
 * Logs and the bus spread over several Redis servers: a log (a room, a user's whispers) and its topic
 * always live on one, chosen by the hash of its name, so its offsets, its order and its pub/sub stay on
 * one server and no operation spans two. Every node must list the same servers in the same order.
 */
final class Sharded {

    private Sharded() {
    }

    /** The server a log or topic lives on: the same on every node and in every run (String's hash is specified). */
    static <T> T of(List<T> shards, String name) {
        return shards.get(Math.floorMod(name.hashCode(), shards.size()));
    }

    static Logs logs(List<RedisShard> shards) {
        List<RedisLogs> each = shards.stream().map(s -> s.logs).toList();
        if (each.size() == 1) {
            return each.get(0);
        }
        return new Logs() {
            @Override
            public CompletionStage<Entry> append(String log, String body, Retention retention) {
                return of(each, log).append(log, body, retention);
            }

            @Override
            public CompletionStage<Entry> amend(String log, long offset, String epoch, String expectedBody, String keptBody,
                    String body, Retention retention) {
                return of(each, log).amend(log, offset, epoch, expectedBody, keptBody, body, retention);
            }

            @Override
            public CompletionStage<Void> rewrite(String log, long offset, String epoch, String expectedBody, String keptBody) {
                return of(each, log).rewrite(log, offset, epoch, expectedBody, keptBody);
            }

            @Override
            public CompletionStage<Replay> read(String log, Long since, String epoch) {
                return of(each, log).read(log, since, epoch);
            }

            @Override
            public CompletionStage<Map<String, Position>> heads(Collection<String> logs) {
                Map<RedisLogs, List<String>> byShard = logs.stream().collect(Collectors.groupingBy(log -> of(each, log)));
                CompletableFuture<Map<String, Position>> all = CompletableFuture.completedFuture(new HashMap<>());
                for (Map.Entry<RedisLogs, List<String>> shard : byShard.entrySet()) {
                    all = all.thenCombine(shard.getKey().heads(shard.getValue()), (sum, part) -> {
                        sum.putAll(part);
                        return sum;
                    });
                }
                return all;
            }

            @Override
            public CompletionStage<Position> delivered(String log) {
                return of(each, log).delivered(log);
            }

            @Override
            public void markDelivered(String log, Position reached) {
                of(each, log).markDelivered(log, reached);
            }
        };
    }

    static Bus bus(List<RedisShard> shards) {
        List<RedisBus> each = shards.stream().map(s -> s.bus).toList();
        if (each.size() == 1) {
            return each.get(0);
        }
        return new Bus() {
            @Override
            public void listen(Listener listener) {
                each.forEach(bus -> bus.listen(listener));
            }

            @Override
            public CompletionStage<Void> interested(String topic) {
                return of(each, topic).interested(topic);
            }

            @Override
            public void uninterested(String topic) {
                of(each, topic).uninterested(topic);
            }

            @Override
            public void signal(String topic, String text, String exceptConnectionId) {
                of(each, topic).signal(topic, text, exceptConnectionId);
            }
        };
    }
}

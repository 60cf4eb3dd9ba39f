package dev.switchboard.engine.redis;

import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Logs in Redis. Appending is one Lua script: it gives the entry the log's next offset, keeps it
 * (trimmed to the retention's length; the keys expire a retention's time after the last append) and
 * publishes it, so Redis's one order of scripts is every node's order of the log. Reading returns the
 * kept entries with the log's position; entries older than the retention are left out.
 */
final class RedisLogs implements Logs {

    /** The time a log read before its first append keeps its epoch for. */
    static final long UNWRITTEN_TTL_MILLIS = 24 * 3600 * 1000L;

    private static final String APPEND = """
            redis.call('HSETNX', KEYS[1], 'epoch', ARGV[1])
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            local offset = redis.call('HINCRBY', KEYS[1], 'last', 1)
            local t = redis.call('TIME')
            local now = t[1] * 1000 + math.floor(t[2] / 1000)
            redis.call('HSET', KEYS[1], 'ttl', ARGV[4])
            redis.call('RPUSH', KEYS[2], offset .. ':' .. now .. ':' .. ARGV[2])
            redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('PEXPIRE', KEYS[2], ARGV[4])
            redis.call('PUBLISH', ARGV[5], 'e' .. offset .. ':' .. epoch .. ':' .. ARGV[2])
            return {offset, epoch}
            """;

    /**
     * The entry at ARGV[6] (in epoch ARGV[7], when not empty), still kept (not older than the retention),
     * and still of body ARGV[10] when ARGV[9] is 1, gets the body ARGV[8] in place (AMEND then appends the
     * change as APPEND does). {-1} when not kept, {-2} when its body was another.
     */
    private static final String REPLACE_KEPT = """
            local epochNow = redis.call('HGET', KEYS[1], 'epoch')
            if not epochNow or (ARGV[7] ~= '' and ARGV[7] ~= epochNow) then return {-1} end
            local first = redis.call('LINDEX', KEYS[2], 0)
            if not first then return {-1} end
            local index = tonumber(ARGV[6]) - tonumber(string.match(first, '^(%d+):'))
            if index < 0 then return {-1} end
            local item = redis.call('LINDEX', KEYS[2], index)
            if not item then return {-1} end
            local off, at = string.match(item, '^(%d+):(%d+):')
            local t0 = redis.call('TIME')
            local ttl = tonumber(redis.call('HGET', KEYS[1], 'ttl') or '0')
            if off ~= ARGV[6] or (ttl > 0 and tonumber(at) < t0[1] * 1000 + math.floor(t0[2] / 1000) - ttl) then return {-1} end
            if ARGV[9] == '1' and string.sub(item, #off + #at + 3) ~= ARGV[10] then return {-2} end
            redis.call('LSET', KEYS[2], index, off .. ':' .. at .. ':' .. ARGV[8])
            """;

    private static final String AMEND = REPLACE_KEPT + APPEND;

    /** As AMEND, without the append: {0} when rewritten. */
    private static final String REWRITE = REPLACE_KEPT + "return {0}\n";

    private static final String READ = """
            if redis.call('HSETNX', KEYS[1], 'epoch', ARGV[1]) == 1 then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            local meta = redis.call('HMGET', KEYS[1], 'epoch', 'last', 'ttl', 'delivered')
            local t = redis.call('TIME')
            local now = t[1] * 1000 + math.floor(t[2] / 1000)
            return {meta[1], meta[2] or '0', meta[3] or '0', meta[4] or '0', tostring(now), redis.call('LRANGE', KEYS[2], 0, -1)}
            """;

    private static final String MARK = """
            if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
            local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
            local delivered = tonumber(redis.call('HGET', KEYS[1], 'delivered') or '0')
            local reached = math.min(tonumber(ARGV[2]), last)
            if reached > delivered then
              redis.call('HSET', KEYS[1], 'delivered', reached)
              return 1
            end
            return 0
            """;

    /** Each log's epoch and last offset; a log Redis does not have gives no epoch. */
    private static final String HEADS = """
            local heads = {}
            for i, key in ipairs(KEYS) do
              local meta = redis.call('HMGET', key, 'epoch', 'last')
              heads[i] = {meta[1] or '', meta[2] or '0'}
            end
            return heads
            """;

    private final RedisAsyncCommands<String, String> redis;
    /** Where results are handed on: never Lettuce's event loop, which a caller's next Redis call would wait on. */
    private final Executor callbacks;

    RedisLogs(StatefulRedisConnection<String, String> connection, Executor callbacks) {
        this.redis = connection.async();
        this.callbacks = callbacks;
    }

    private static String newEpoch() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public CompletionStage<Entry> append(String log, String body, Retention retention) {
        String[] keys = {Keys.meta(log), Keys.entries(log)};
        return redis.<List<Object>>eval(APPEND, ScriptOutputType.MULTI, keys, newEpoch(), body,
                        String.valueOf(retention.size()), String.valueOf(retention.ttl().toMillis()), Keys.channel(log))
                .thenApplyAsync(result -> new Entry(log, (Long) result.get(0), (String) result.get(1), body), callbacks);
    }

    @Override
    public CompletionStage<Entry> amend(String log, long offset, String epoch, String expectedBody, String keptBody, String body,
            Retention retention) {
        String[] keys = {Keys.meta(log), Keys.entries(log)};
        return redis.<List<Object>>eval(AMEND, ScriptOutputType.MULTI, keys, newEpoch(), body,
                        String.valueOf(retention.size()), String.valueOf(retention.ttl().toMillis()), Keys.channel(log),
                        String.valueOf(offset), epoch == null ? "" : epoch, keptBody, expectedBody == null ? "0" : "1",
                        expectedBody == null ? "" : expectedBody)
                .thenApplyAsync(result -> {
                    replacedOrThrow(result, log, offset, epoch);
                    return new Entry(log, (Long) result.get(0), (String) result.get(1), body);
                }, callbacks);
    }

    @Override
    public CompletionStage<Void> rewrite(String log, long offset, String epoch, String expectedBody, String keptBody) {
        String[] keys = {Keys.meta(log), Keys.entries(log)};
        return redis.<List<Object>>eval(REWRITE, ScriptOutputType.MULTI, keys, "", "", "", "", "", String.valueOf(offset),
                        epoch == null ? "" : epoch, keptBody, expectedBody == null ? "0" : "1", expectedBody == null ? "" : expectedBody)
                .thenAcceptAsync(result -> replacedOrThrow(result, log, offset, epoch), callbacks);
    }

    /** What REPLACE_KEPT answered, as the failure {@code amend} and {@code rewrite} document: {-2} changed, {-1} not kept. */
    private static void replacedOrThrow(List<Object> result, String log, long offset, String epoch) {
        if ((Long) result.get(0) == -2) {
            throw new Changed(log + " entry " + offset + " changed meanwhile");
        }
        if ((Long) result.get(0) < 0) {
            throw new NotKept(log + " keeps no entry " + offset + (epoch == null ? "" : " in epoch " + epoch));
        }
    }

    @Override
    public CompletionStage<Replay> read(String log, Long since, String epoch) {
        String[] keys = {Keys.meta(log), Keys.entries(log)};
        return redis.<List<Object>>eval(READ, ScriptOutputType.MULTI, keys, newEpoch(), String.valueOf(UNWRITTEN_TTL_MILLIS))
                .thenApplyAsync(result -> replayOf(log, result, since, epoch), callbacks);
    }

    @SuppressWarnings("unchecked")
    private static Replay replayOf(String log, List<Object> result, Long since, String knownEpoch) {
        String epoch = (String) result.get(0);
        long last = Long.parseLong((String) result.get(1));
        long ttl = Long.parseLong((String) result.get(2));
        long now = Long.parseLong((String) result.get(4));
        List<Entry> kept = new ArrayList<>();
        for (Object item : (List<Object>) result.get(5)) {
            String text = (String) item;
            int a = text.indexOf(':');
            int b = text.indexOf(':', a + 1);
            long appendedAt = Long.parseLong(text.substring(a + 1, b));
            if (ttl == 0 || appendedAt >= now - ttl) {
                kept.add(new Entry(log, Long.parseLong(text.substring(0, a)), epoch, text.substring(b + 1)));
            }
        }
        long firstKept = kept.isEmpty() ? last + 1 : kept.get(0).offset();
        boolean sameEpoch = knownEpoch == null || knownEpoch.equals(epoch);
        boolean recovered = since != null && sameEpoch && since >= firstKept - 1 && since <= last;
        List<Entry> entries = recovered ? kept.stream().filter(e -> e.offset() > since).toList() : kept;
        return new Replay(entries, recovered, last, epoch);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<Map<String, Position>> heads(Collection<String> logs) {
        List<String> names = List.copyOf(logs);
        if (names.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        String[] keys = names.stream().map(Keys::meta).toArray(String[]::new);
        return redis.<List<Object>>eval(HEADS, ScriptOutputType.MULTI, keys).thenApplyAsync(result -> {
            Map<String, Position> heads = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                List<Object> head = (List<Object>) result.get(i);
                String epoch = (String) head.get(0);
                if (!epoch.isEmpty()) {
                    heads.put(names.get(i), new Position(Long.parseLong((String) head.get(1)), epoch));
                }
            }
            return heads;
        }, callbacks);
    }

    @Override
    public CompletionStage<Position> delivered(String log) {
        return redis.hmget(Keys.meta(log), "delivered", "epoch").thenApplyAsync(values -> new Position(
                values.get(0).hasValue() ? Long.parseLong(values.get(0).getValue()) : 0,
                values.get(1).hasValue() ? values.get(1).getValue() : null), callbacks);
    }

    @Override
    public void markDelivered(String log, Position reached) {
        if (reached.epoch() == null) {
            return;
        }
        redis.eval(MARK, ScriptOutputType.INTEGER, new String[] {Keys.meta(log)}, reached.epoch(),
                String.valueOf(reached.offset()));
    }
}

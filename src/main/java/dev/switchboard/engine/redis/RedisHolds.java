package dev.switchboard.engine.redis;

import dev.switchboard.engine.Holds;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Holds as one key per name ({@code holder\nuntil}) and a sorted set of names by time, so lapsed ones
 * are found without scanning; compare and set is a script, atomic across nodes.
 */
final class RedisHolds implements Holds {

    private static final String REPLACE = """
            if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            return 1
            """;

    private static final String DROP = """
            local held = redis.call('GET', KEYS[1])
            if held and held ~= ARGV[1] then return 0 end
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[2])
            return 1
            """;

    private final RedisCommands<String, String> redis;
    /** The set's sorted set of names, and the prefix of its names' keys. */
    private final String all;
    private final String prefix;

    /** The holds of one set: {@code ""} for user names. */
    RedisHolds(StatefulRedisConnection<String, String> connection, String set) {
        this.redis = connection.sync();
        this.all = Keys.holds(set);
        this.prefix = set.isEmpty() ? "" : set + ":";
    }

    private String key(String name) {
        return Keys.hold(prefix + name);
    }

    private static String encode(Hold hold) {
        return hold.holder() + "\n" + hold.untilMillis();
    }

    private static Optional<Hold> decode(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int cut = value.lastIndexOf('\n');
        return Optional.of(new Hold(value.substring(0, cut), Long.parseLong(value.substring(cut + 1))));
    }

    @Override
    public Optional<Hold> get(String name) {
        try {
            return decode(redis.get(key(name)));
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public boolean replace(String name, Optional<Hold> expected, Hold next) {
        try {
            Long replaced = redis.eval(REPLACE, ScriptOutputType.INTEGER, new String[] {key(name), all},
                    expected.map(RedisHolds::encode).orElse(""), encode(next), String.valueOf(next.untilMillis()), name);
            return replaced == 1;
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public void drop(String name, Hold expected) {
        try {
            redis.eval(DROP, ScriptOutputType.INTEGER, new String[] {key(name), all}, encode(expected), name);
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public int count() {
        try {
            return Math.toIntExact(redis.zcard(all));
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public Map<String, Hold> lapsed(long beforeMillis, int limit) {
        try {
            List<String> names = redis.zrangebyscore(all, Range.create(Double.NEGATIVE_INFINITY, (double) beforeMillis - 1),
                    io.lettuce.core.Limit.create(0, limit));
            Map<String, Hold> lapsed = new LinkedHashMap<>();
            for (String name : names) {
                Optional<Hold> hold = decode(redis.get(key(name)));
                if (hold.isPresent()) {
                    lapsed.put(name, hold.get());
                } else {
                    redis.zrem(all, name); // its key was deleted by hand: nothing holds it
                }
            }
            return lapsed;
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }
}

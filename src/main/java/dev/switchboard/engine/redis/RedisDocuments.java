package dev.switchboard.engine.redis;

import dev.switchboard.engine.Documents;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Optional;

/** Documents as a hash (text, version) per key; compare and set is a script, atomic across nodes. */
final class RedisDocuments implements Documents {

    private static final String REPLACE = """
            local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
            if version ~= tonumber(ARGV[1]) then return 0 end
            redis.call('HSET', KEYS[1], 'text', ARGV[2], 'version', version + 1)
            if ARGV[3] == '0' then
              redis.call('PERSIST', KEYS[1])
            else
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
            end
            return 1
            """;

    private final RedisCommands<String, String> redis;

    RedisDocuments(StatefulRedisConnection<String, String> connection) {
        this.redis = connection.sync();
    }

    @Override
    public Optional<Versioned> get(String key) {
        try {
            List<io.lettuce.core.KeyValue<String, String>> values = redis.hmget(Keys.document(key), "text", "version");
            if (!values.get(0).hasValue()) {
                return Optional.empty();
            }
            return Optional.of(new Versioned(values.get(0).getValue(), Long.parseLong(values.get(1).getValue())));
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public boolean replace(String key, long expectedVersion, String text, long keepMillis) {
        try {
            Long written = redis.eval(REPLACE, ScriptOutputType.INTEGER, new String[] {Keys.document(key)},
                    String.valueOf(expectedVersion), text, String.valueOf(keepMillis));
            return written == 1;
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }
}

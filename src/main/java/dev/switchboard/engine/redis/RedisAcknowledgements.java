package dev.switchboard.engine.redis;

import dev.switchboard.engine.Acknowledgements;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.concurrent.TimeUnit;

/**
 * Client ids claimed across nodes: the first try sets the key only if it is absent ({@code SET NX}),
 * so two tries at once, on any nodes, cannot both go ahead. The claim lapses after a while if its node
 * never answers (it died); an ack is kept for retries.
 */
final class RedisAcknowledgements implements Acknowledgements {

    /** The value of a claim whose first try is still being handled. */
    private static final String UNDERWAY = "\u0000";
    static final long UNDERWAY_MILLIS = TimeUnit.SECONDS.toMillis(30);
    static final long ANSWER_KEPT_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    private final RedisCommands<String, String> redis;

    RedisAcknowledgements(StatefulRedisConnection<String, String> connection) {
        this.redis = connection.sync();
    }

    @Override
    public Claim claim(String user, String cid) {
        try {
            String key = Keys.ack(user, cid);
            for (int attempt = 0; attempt < 2; attempt++) {
                if ("OK".equals(redis.set(key, UNDERWAY, SetArgs.Builder.nx().px(UNDERWAY_MILLIS)))) {
                    return new First();
                }
                String held = redis.get(key);
                if (held != null) {
                    return UNDERWAY.equals(held) ? new Underway() : new Answered(held);
                }
                // Lapsed between the two: claim again.
            }
            return new Underway();
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public void answer(String user, String cid, String ack) {
        try {
            redis.set(Keys.ack(user, cid), ack, SetArgs.Builder.px(ANSWER_KEPT_MILLIS));
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public void release(String user, String cid) {
        try {
            redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {Keys.ack(user, cid)}, UNDERWAY);
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }
}

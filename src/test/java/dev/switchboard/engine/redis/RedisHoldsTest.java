package dev.switchboard.engine.redis;

import dev.switchboard.engine.Holds;
import dev.switchboard.engine.HoldsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis engine keeps the holds contract every engine keeps, against a real redis-server. */
class RedisHoldsTest extends HoldsContract {

    @RegisterExtension
    static final RunningRedis REDIS = new RunningRedis();

    @Override
    protected Holds holds() {
        return REDIS.engine().holds();
    }

    @Override
    protected Holds holdsOfASet(String set) {
        return REDIS.engine().holds(set);
    }
}

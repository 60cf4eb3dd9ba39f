package dev.switchboard.engine.redis;

import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Logs;
import dev.switchboard.engine.LogsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis engine keeps the logs and bus contract every engine keeps, against a real redis-server. */
class RedisLogsTest extends LogsContract {

    @RegisterExtension
    static final RunningRedis REDIS = new RunningRedis();

    @Override
    protected Logs logs() {
        return REDIS.engine().logs();
    }

    @Override
    protected Bus bus() {
        return REDIS.engine().bus();
    }
}

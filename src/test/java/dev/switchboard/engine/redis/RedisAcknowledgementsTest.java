package dev.switchboard.engine.redis;

import dev.switchboard.engine.Acknowledgements;
import dev.switchboard.engine.AcknowledgementsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis engine keeps the acknowledgements contract every engine keeps, against a real redis-server. */
class RedisAcknowledgementsTest extends AcknowledgementsContract {

    @RegisterExtension
    static final RunningRedis REDIS = new RunningRedis();

    @Override
    protected Acknowledgements acknowledgements() {
        return REDIS.engine().acknowledgements();
    }
}

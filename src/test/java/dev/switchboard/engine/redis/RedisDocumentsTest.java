package dev.switchboard.engine.redis;

import dev.switchboard.engine.Documents;
import dev.switchboard.engine.DocumentsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis engine keeps the documents contract every engine keeps, against a real redis-server. */
class RedisDocumentsTest extends DocumentsContract {

    @RegisterExtension
    static final RunningRedis REDIS = new RunningRedis();

    @Override
    protected Documents documents() {
        return REDIS.engine().documents();
    }
}

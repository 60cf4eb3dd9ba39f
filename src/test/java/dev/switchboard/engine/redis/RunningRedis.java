package dev.switchboard.engine.redis;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testing.RedisServer;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real redis-server for a test class, and a Redis engine connected to it for each test (closed after
 * it): {@code @RegisterExtension static final RunningRedis REDIS = new RunningRedis();}.
 */
final class RunningRedis implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    private RedisServer server;
    private RedisEngine engine;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = RedisServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        server.close();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    String url() {
        return server.url();
    }

    /** This test's engine, node "test", default settings. */
    RedisEngine engine() {
        if (engine == null) {
            engine = RedisEngine.connect(server.url(), SwitchboardConfig.of(Map.of()), "test");
        }
        return engine;
    }
}

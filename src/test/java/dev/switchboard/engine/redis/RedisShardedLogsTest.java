package dev.switchboard.engine.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Logs;
import dev.switchboard.engine.LogsContract;
import dev.switchboard.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logs spread over two Redis servers keep the same contract, and each log lives whole on one of them:
 * its keys on one server only, both servers used.
 */
class RedisShardedLogsTest extends LogsContract {

    private static RedisServer first;
    private static RedisServer second;
    private final RedisEngine engine = RedisEngine.connect(first.url() + "," + second.url(),
            SwitchboardConfig.of(Map.of()), "test");

    @BeforeAll
    static void startServers() throws Exception {
        first = RedisServer.start();
        second = RedisServer.start();
    }

    @AfterAll
    static void stopServers() throws Exception {
        first.close();
        second.close();
    }

    @AfterEach
    void disconnect() {
        engine.close();
    }

    @Override
    protected Logs logs() {
        return engine.logs();
    }

    @Override
    protected Bus bus() {
        return engine.bus();
    }

    @Test
    void eachLogLivesWholeOnOneServerAndBothServersHaveSome() throws Exception {
        Logs.Retention retention = new Logs.Retention(10, Duration.ofHours(1), false);
        int logs = 40;
        for (int i = 0; i < logs; i++) {
            await(engine.logs().append("spread-" + i, "{}", retention));
        }
        RedisClient a = RedisClient.create(first.url());
        RedisClient b = RedisClient.create(second.url());
        try (StatefulRedisConnection<String, String> onA = a.connect(); StatefulRedisConnection<String, String> onB = b.connect()) {
            int onFirst = 0;
            for (int i = 0; i < logs; i++) {
                String log = "spread-" + i;
                long here = onA.sync().exists(Keys.meta(log), Keys.entries(log));
                long there = onB.sync().exists(Keys.meta(log), Keys.entries(log));
                assertTrue(here == 2 && there == 0 || here == 0 && there == 2, log + ": " + here + " and " + there);
                onFirst += here == 2 ? 1 : 0;
            }
            assertTrue(onFirst > 0 && onFirst < logs, "both servers hold logs: " + onFirst + " of " + logs + " on the first");
        } finally {
            a.shutdown();
            b.shutdown();
        }
    }
}

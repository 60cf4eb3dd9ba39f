package dev.switchboard.engine.redis;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Redis that cannot be reached at start is refused with a message that says where and what to do. */
class RedisEngineStartTest {

    @Test
    void anUnreachableRedisStopsTheStartWithAClearMessage() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort(); // free once closed: nothing listens there
        }
        String url = "redis://127.0.0.1:" + closedPort;
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> RedisEngine.connect(url, SwitchboardConfig.of(Map.of()), "test"));
        String message = refused.getMessage();
        assertTrue(message.startsWith("Redis at " + url + " cannot be reached"), message);
        assertTrue(message.contains("SWITCHBOARD_REDIS_URL") && message.contains("unset it"), message);
    }

    @Test
    void aUrlThatIsNotARedisUrlIsNamedAsSuch() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> RedisEngine.connect("http://example.invalid", SwitchboardConfig.of(Map.of()), "test"));
        assertTrue(refused.getMessage().startsWith("switchboard.redis.url is not a Redis URL"), refused.getMessage());
    }
}

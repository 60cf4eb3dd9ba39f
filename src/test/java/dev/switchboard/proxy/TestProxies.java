package dev.switchboard.proxy;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.SwitchboardConfig;
import io.micrometer.core.instrument.MeterRegistry;

/** Authorization proxies for unit tests of other packages: read from these settings, counting into these meters. */
public final class TestProxies {

    private TestProxies() {
    }

    public static AuthorizationProxy of(SwitchboardConfig config, MeterRegistry meters) {
        AuthorizationProxy proxy = new AuthorizationProxy();
        proxy.config = config;
        proxy.node = NodeId.of("test");
        proxy.meters = meters;
        proxy.readSettings();
        return proxy;
    }
}

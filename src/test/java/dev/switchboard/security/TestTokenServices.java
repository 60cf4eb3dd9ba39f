package dev.switchboard.security;

import dev.switchboard.config.SwitchboardConfig;
import java.time.Clock;

/** Token services for unit tests of other packages: read from these settings, at this time. */
public final class TestTokenServices {

    private TestTokenServices() {
    }

    public static TokenService of(SwitchboardConfig config, Clock clock) {
        TokenService tokens = new TokenService();
        tokens.config = config;
        tokens.clock = clock;
        tokens.readSettings();
        return tokens;
    }
}

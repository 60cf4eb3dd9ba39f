package dev.switchboard.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    private static OriginPolicy policy(String origins) {
        OriginPolicy policy = new OriginPolicy();
        policy.config = SwitchboardConfig.of(Map.of("switchboard.origins", origins));
        policy.readSettings();
        return policy;
    }

    @Test
    void byDefaultOnlyTheServersOwnOriginIsAllowed() {
        OriginPolicy policy = policy("");
        assertTrue(policy.allows("http://localhost:8080", "localhost:8080"));
        assertTrue(policy.allows("https://chat.example.org", "chat.example.org"), "default ports");
        assertTrue(policy.allows("https://chat.example.org", "chat.example.org:443"));
        assertFalse(policy.allows("http://evil.example", "localhost:8080"));
        assertFalse(policy.allows("http://localhost:9999", "localhost:8080"), "another port is another origin");
        assertFalse(policy.allows("null", "localhost:8080"), "sandboxed pages send Origin: null");
        assertTrue(policy.allows(null, "localhost:8080"), "no Origin: not a browser");
    }

    @Test
    void aConfiguredListReplacesTheDefault() {
        OriginPolicy policy = policy("https://app.example.com, http://localhost:3000");
        assertTrue(policy.allows("https://app.example.com", "api.example.com"));
        assertTrue(policy.allows("https://APP.example.com:443", "api.example.com"));
        assertTrue(policy.allows("http://localhost:3000", "api.example.com"));
        assertFalse(policy.allows("https://api.example.com", "api.example.com"), "only what is listed");
        assertTrue(policy("*").allows("https://anything.example", "x"));
    }
}

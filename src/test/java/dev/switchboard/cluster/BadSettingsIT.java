package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ServerNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real server started with a bad setting does not start, and its log names the bad entry: what an
 * operator meets who mistypes the namespaces file (in the server this suite runs on: Payara Micro, or
 * embedded Tomcat). With the tests that start server processes of their own, as the cluster tests do.
 */
class BadSettingsIT {

    @Test
    void aNamespaceWithAnUnknownOptionStopsTheStartWithAMessageNamingIt() {
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> ServerNode.start("bad-namespaces", "",
                List.of("-Dswitchboard.namespaces={\"namespaces\": {\"team\": {\"hisorySize\": 5}}}")));
        assertTrue(failed.getMessage().contains("Setting switchboard.namespaces (SWITCHBOARD_NAMESPACES): namespace 'team': "
                + "unknown option hisorySize"), failed.getMessage());
    }
}

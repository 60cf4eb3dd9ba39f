package dev.switchboard.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NetworksTest {

    @Test
    void addressesInTheListedNetworksAreInAndOthersAreNot() {
        Networks networks = Networks.parse("127.0.0.0/8, ::1, 10.1.0.0/16, fd00::/8");
        assertTrue(networks.contains("127.0.0.1"));
        assertTrue(networks.contains("127.255.0.9"));
        assertTrue(networks.contains("0:0:0:0:0:0:0:1"));
        assertTrue(networks.contains("[::1]"));
        assertTrue(networks.contains("10.1.200.3"));
        assertFalse(networks.contains("10.2.0.1"));
        assertTrue(networks.contains("fd12:3456::1"));
        assertFalse(networks.contains("fe80::1%eth0"));
        assertFalse(networks.contains("192.168.1.1"));
        assertFalse(networks.contains("localhost"), "a name is never looked up");
        assertFalse(networks.contains(null));
    }

    @Test
    void noneListsNoNetworkAndBadEntriesAreRefused() {
        assertFalse(Networks.parse("none").contains("127.0.0.1"));
        assertFalse(Networks.parse("").contains("127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> Networks.parse("example.com"));
        assertThrows(IllegalArgumentException.class, () -> Networks.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Networks.parse("10.0.0.0/x"));
    }
}

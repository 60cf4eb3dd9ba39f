package dev.switchboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void ipv4CountsByAddressAndIpv6ByItsSlash64() {
        assertEquals("203.0.113.7", ClientAddress.of("203.0.113.7"));
        assertEquals(ClientAddress.of("2001:db8:1:2::1"), ClientAddress.of("2001:db8:1:2:ffff:ffff:ffff:ffff"),
                "one /64, whatever the host part");
        assertEquals("20010db800010002::/64", ClientAddress.of("2001:0db8:0001:0002:0000:0000:0000:0001"));
        assertEquals(false, ClientAddress.of("2001:db8:1:2::1").equals(ClientAddress.of("2001:db8:1:3::1")));
    }
}

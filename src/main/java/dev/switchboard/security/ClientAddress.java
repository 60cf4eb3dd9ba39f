package dev.switchboard.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * The client address that per-address limits count by: an IPv4 address as it is; an IPv6 address by
 * its /64 network, since one subscriber is usually given a whole /64 and could otherwise pick a new
 * address for every connection.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.indexOf(':') < 0) {
            return remoteAddress;
        }
        try {
            byte[] bytes = InetAddress.getByName(remoteAddress).getAddress(); // a literal: no lookup
            return bytes.length == 16 ? HexFormat.of().formatHex(bytes, 0, 8) + "::/64" : remoteAddress;
        } catch (UnknownHostException notALiteral) {
            return remoteAddress;
        }
    }
}

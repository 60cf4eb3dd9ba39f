package dev.switchboard.security;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** A list of networks ({@code 10.0.0.0/8, ::1/128}, or plain addresses) and whether an address is in one of them. */
public final class Networks {

    private record Network(byte[] base, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != base.length) {
                return false;
            }
            int bits = base.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, base).and(mask));
        }
    }

    private final List<Network> networks;

    private Networks(List<Network> networks) {
        this.networks = networks;
    }

    /**
     * Reads a comma-separated list of literal addresses with an optional prefix length; empty or
     * {@code none} for no network.
     *
     * @throws IllegalArgumentException naming the entry that is not a network
     */
    public static Networks parse(String list) {
        List<Network> parsed = new ArrayList<>();
        for (String entry : list.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty() || trimmed.equals("none")) {
                continue;
            }
            int slash = trimmed.indexOf('/');
            String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
            if (!isLiteral(address)) {
                throw new IllegalArgumentException("'" + trimmed + "' is not an address or network (a literal, no host names)");
            }
            try {
                byte[] base = InetAddress.getByName(address).getAddress();
                int prefix = slash < 0 ? base.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
                if (prefix < 0 || prefix > base.length * 8) {
                    throw new IllegalArgumentException("'" + trimmed + "' has a prefix length out of range");
                }
                parsed.add(new Network(base, prefix));
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("'" + trimmed + "' is not an address or network", e);
            }
        }
        return new Networks(List.copyOf(parsed));
    }

    /** Whether the literal address (as a servlet request gives it) is in one of the networks. */
    public boolean contains(String address) {
        if (address == null) {
            return false;
        }
        String literal = address.replace("[", "").replace("]", "");
        int zone = literal.indexOf('%');
        literal = zone < 0 ? literal : literal.substring(0, zone);
        if (!isLiteral(literal)) {
            return false;
        }
        try {
            byte[] bytes = InetAddress.getByName(literal).getAddress();
            return networks.stream().anyMatch(n -> n.contains(bytes));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IPv4 or IPv6 literal, which {@link InetAddress#getByName} parses without a name lookup. */
    private static boolean isLiteral(String address) {
        return address.matches("\\d{1,3}(\\.\\d{1,3}){3}") || address.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    }
}

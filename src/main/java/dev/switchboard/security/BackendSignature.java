package dev.switchboard.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs what Switchboard sends to the site's back end (webhook events, authorization questions), as
 * Stripe and GitHub sign theirs: the header {@value #HEADER} is {@code t=<unix seconds>,v1=<hex>}, where
 * the hex is HMAC-SHA256 over {@code "<t>.<body>"} with the secret. While a secret is being replaced,
 * both are configured (comma-separated) and the header carries one {@code v1} for each, so a receiver
 * that knows either accepts. A receiver checks that one {@code v1} matches and that {@code t} is recent,
 * which stops replays of an old, captured request.
 */
public final class BackendSignature {

    /** The header every signed request carries. */
    public static final String HEADER = "Switchboard-Signature";
    /** Shortest secret accepted, in bytes. */
    public static final int MIN_SECRET_BYTES = 16;

    private final List<SecretKeySpec> keys;

    private BackendSignature(List<SecretKeySpec> keys) {
        this.keys = keys;
    }

    /**
     * The secrets, comma-separated, the first the current one; refused (with a message that says why)
     * when none is given or one is shorter than {@value #MIN_SECRET_BYTES} bytes.
     */
    public static BackendSignature of(String secrets) {
        List<SecretKeySpec> keys = new ArrayList<>();
        for (String secret : Arrays.stream(secrets == null ? new String[0] : secrets.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList()) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("A signing secret is at least " + MIN_SECRET_BYTES + " bytes");
            }
            keys.add(new SecretKeySpec(bytes, "HmacSHA256"));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("No signing secret is set");
        }
        return new BackendSignature(List.copyOf(keys));
    }

    /** The header's value for this body sent at {@code unixSeconds}. */
    public String sign(long unixSeconds, String body) {
        StringBuilder header = new StringBuilder("t=").append(unixSeconds);
        for (SecretKeySpec key : keys) {
            header.append(",v1=").append(HexFormat.of().formatHex(mac(key, unixSeconds + "." + body)));
        }
        return header.toString();
    }

    /**
     * Whether the header signs this body with one of the secrets, at a time no further than
     * {@code toleranceSeconds} from {@code nowSeconds}: what a receiver does (the README shows it in a few lines).
     */
    public boolean verify(String header, String body, long nowSeconds, long toleranceSeconds) {
        if (header == null) {
            return false;
        }
        Long t = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String p = part.trim();
            try {
                if (p.startsWith("t=")) {
                    t = Long.parseLong(p.substring(2));
                } else if (p.startsWith("v1=")) {
                    signatures.add(HexFormat.of().parseHex(p.substring(3)));
                }
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }
        if (t == null || Math.abs(nowSeconds - t) > toleranceSeconds) {
            return false;
        }
        for (SecretKeySpec key : keys) {
            byte[] expected = mac(key, t + "." + body);
            for (byte[] given : signatures) {
                if (MessageDigest.isEqual(expected, given)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] mac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

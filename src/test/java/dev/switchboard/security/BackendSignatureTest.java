package dev.switchboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackendSignatureTest {

    private static final String SECRET = "a-webhook-secret-of-32-bytes-abc";

    @Test
    void theHeaderIsStripesShapeAndAKnownVector() {
        // HMAC-SHA256("a-webhook-secret-of-32-bytes-abc", "1700000000.{}"), as openssl prints it:
        // printf '1700000000.{}' | openssl dgst -sha256 -hmac a-webhook-secret-of-32-bytes-abc
        String header = BackendSignature.of(SECRET).sign(1_700_000_000L, "{}");
        assertEquals("t=1700000000,v1=729617b69b169ee48d2581be0842599512706bcbdf22f62ce26b7f90d6516cdf", header);
    }

    @Test
    void aReceiverAcceptsItsOwnSignatureAndNothingElse() {
        BackendSignature signature = BackendSignature.of(SECRET);
        String header = signature.sign(1000, "{\"a\":1}");
        assertTrue(signature.verify(header, "{\"a\":1}", 1000, 300));
        assertFalse(signature.verify(header, "{\"a\":2}", 1000, 300), "another body");
        assertFalse(signature.verify(header, "{\"a\":1}", 1301, 300), "too old: a replay");
        assertFalse(BackendSignature.of("another-secret-of-enough-bytes").verify(header, "{\"a\":1}", 1000, 300));
        assertFalse(signature.verify("t=1000,v1=zz", "{\"a\":1}", 1000, 300), "not hex");
        assertFalse(signature.verify(null, "{}", 1000, 300));
    }

    @Test
    void whileASecretIsReplacedBothSignAndEitherReceiverAccepts() {
        String header = BackendSignature.of("the-new-secret-0123456789, the-old-secret-0123456789").sign(5, "x");
        assertEquals(2, header.split("v1=").length - 1);
        assertTrue(BackendSignature.of("the-old-secret-0123456789").verify(header, "x", 5, 1));
        assertTrue(BackendSignature.of("the-new-secret-0123456789").verify(header, "x", 5, 1));
    }

    @Test
    void aShortOrMissingSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BackendSignature.of("short"));
        assertThrows(IllegalArgumentException.class, () -> BackendSignature.of(" , "));
    }
}

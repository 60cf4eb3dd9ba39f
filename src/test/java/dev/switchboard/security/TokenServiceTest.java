package dev.switchboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.config.SwitchboardConfig;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenServiceTest {

    private static final String SECRET = "a-unit-test-secret-of-32-bytes-or-more!";

    private static TokenService service(Map<String, String> settings, Instant now) {
        TokenService tokens = new TokenService();
        tokens.config = SwitchboardConfig.of(settings);
        tokens.clock = Clock.fixed(now, ZoneOffset.UTC);
        tokens.readSettings();
        return tokens;
    }

    @Test
    void anIssuedTokenNamesItsUserUntilItExpires() {
        Instant now = Instant.parse("2026-11-21T12:00:00Z");
        TokenService issuer = service(Map.of("switchboard.token.secret", SECRET, "switchboard.token.ttl", "1h"), now);
        TokenService.Issued issued = issuer.issue("alice", "browser-hash");
        assertEquals(now.plus(Duration.ofHours(1)), issued.expiresAt());
        TokenService.Verified verified = issuer.verify(issued.token()).orElseThrow();
        assertEquals(List.of("alice", issued.expiresAt(), "browser-hash"), List.of(verified.user(), verified.expiresAt(), verified.browser()),
                "the user, the expiry and the browser it was issued to");
        assertEquals("alice", verified.claim("sub"), "its claims, for features that read their own");
        TokenService atExpiry = service(Map.of("switchboard.token.secret", SECRET), issued.expiresAt());
        assertEquals(Optional.empty(), atExpiry.verify(issued.token()), "expired at its exp, with no grace: 4002 closes then");
    }

    @Test
    void forgedAndMalformedTokensNameNobody() {
        Instant now = Instant.now();
        TokenService ours = service(Map.of("switchboard.token.secret", SECRET), now);
        TokenService theirs = service(Map.of("switchboard.token.secret", "some-other-secret-of-32-bytes-or-more"), now);
        assertEquals(Optional.empty(), ours.verify(theirs.issue("alice", "browser-hash").token()).map(TokenService.Verified::user));
        String[] parts = ours.issue("alice", "browser-hash").token().split("\\.");
        String claimsAsBob = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"bob\",\"exp\":" + (now.getEpochSecond() + 600) + "}").getBytes());
        assertEquals(Optional.empty(), ours.verify(parts[0] + "." + claimsAsBob + "." + parts[2]).map(TokenService.Verified::user), "payload swapped");
        assertEquals(Optional.empty(), ours.verify(Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + claimsAsBob + ".").map(TokenService.Verified::user), "alg none");
        assertEquals(Optional.empty(), ours.verify("garbage").map(TokenService.Verified::user));
        assertEquals(Optional.empty(), ours.verify("").map(TokenService.Verified::user));
        assertEquals(Optional.empty(), ours.verify(null).map(TokenService.Verified::user));
    }

    @Test
    void aRequiredIssuerIsChecked() {
        Instant now = Instant.now();
        TokenService a = service(Map.of("switchboard.token.secret", SECRET, "switchboard.token.issuer", "site-a"), now);
        TokenService b = service(Map.of("switchboard.token.secret", SECRET, "switchboard.token.issuer", "site-b"), now);
        assertTrue(a.verify(a.issue("alice", "browser-hash").token()).map(TokenService.Verified::user).isPresent());
        assertFalse(b.verify(a.issue("alice", "browser-hash").token()).map(TokenService.Verified::user).isPresent());
    }

    @Test
    void withAnOutsideProvidersKeyOnlyItsRs256TokensAreAcceptedAndNoneAreIssued() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----";
        Map<String, String> settings = new HashMap<>(Map.of("switchboard.token.public-key", pem));
        TokenService external = service(settings, Instant.now());
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject("dana")
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        jwt.sign(new RSASSASigner(pair.getPrivate()));
        assertEquals(Optional.of("dana"), external.verify(jwt.serialize()).map(TokenService.Verified::user));
        assertFalse(external.issuesTokens());
        assertThrows(IllegalStateException.class, () -> external.issue("dana", "browser-hash"));
        TokenService hs = service(Map.of("switchboard.token.secret", SECRET), Instant.now());
        assertEquals(Optional.empty(), external.verify(hs.issue("dana", "browser-hash").token()).map(TokenService.Verified::user), "an HS256 token is refused");
    }

    @Test
    void issuingCanBeSwitchedOffWhenTheSecretIsSharedWithAnOutsideProvider() {
        TokenService shared = service(Map.of("switchboard.token.secret", SECRET, "switchboard.token.issue", "false"), Instant.now());
        assertFalse(shared.issuesTokens());
        assertThrows(IllegalStateException.class, () -> shared.issue("ceo", "browser-hash"));
        TokenService provider = service(Map.of("switchboard.token.secret", SECRET), Instant.now());
        assertEquals(Optional.of("ceo"), shared.verify(provider.issue("ceo", "browser-hash").token()).map(TokenService.Verified::user), "the provider's tokens still work");
    }

    @Test
    void aShortSecretIsRefusedAtStartUp() {
        assertThrows(IllegalStateException.class, () -> service(Map.of("switchboard.token.secret", "short"), Instant.now()));
    }
}

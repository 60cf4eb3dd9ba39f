package dev.switchboard.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Issues and verifies tokens: JWTs whose {@code sub} is the user name and whose {@code role} claim
 * (none for chat) says what else they may do ({@link Role}). Tokens are HS256 with
 * the configured secret, or, when an RS256 public key is configured, RS256 tokens of an outside
 * identity provider (and then this server issues none).
 */
@ApplicationScoped
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class.getName());
    /**
     * Tolerated difference between the issuer's clock and ours, for {@code nbf} only: {@code exp} is
     * taken as it stands, since a connection is closed at it (4002) and must not be let in past it.
     */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private byte[] secret;
    private JWSVerifier verifier;
    private JWSAlgorithm algorithm;
    private String issuer;
    private Duration ttl;
    private boolean issuing;

    /** A token and when it expires. */
    public record Issued(String token, Instant expiresAt) {
    }

    /**
     * Who a valid token names, until when it may be used, (for chat tokens this server issued) a hash
     * of the browser it was issued to or null, the role it gives, and a support customer's display
     * name and email (either may be null).
     */
    public record Verified(String user, Instant expiresAt, String browser, Role role, String displayName, String email,
            Map<String, Object> claims) {

        public Verified(String user, Instant expiresAt, String browser) {
            this(user, expiresAt, browser, Role.USER, null, null, Map.of());
        }

        /** A claim of the token as the JWT library read it (a feature reads its own, such as chat's grants); null when absent. */
        public Object claim(String name) {
            return claims.get(name);
        }
    }

    /** The claim with a support customer's display name. */
    static final String DISPLAY_NAME_CLAIM = "name";
    /** The claim with a support customer's email, when they gave one. */
    static final String EMAIL_CLAIM = "email";

    /** The claim naming the browser a built-in token was issued to (a hash of its cookie, never the cookie). */
    static final String BROWSER_CLAIM = "brw";

    /** Made at start-up, not at the first token: a missing secret is reported when the app starts. */
    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        issuesTokens();
    }

    @PostConstruct
    void readSettings() {
        issuer = config.text(Setting.TOKEN_ISSUER);
        ttl = config.duration(Setting.TOKEN_TTL);
        issuing = Boolean.parseBoolean(config.text(Setting.TOKEN_ISSUE));
        String publicKey = config.text(Setting.TOKEN_PUBLIC_KEY);
        try {
            if (!publicKey.isEmpty()) {
                verifier = new RSASSAVerifier(readRsaPublicKey(publicKey));
                algorithm = JWSAlgorithm.RS256;
                return;
            }
            String configured = config.text(Setting.TOKEN_SECRET);
            if (configured.isEmpty()) {
                secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                LOG.warning("switchboard.token.secret (SWITCHBOARD_TOKEN_SECRET) is not set: using a random secret. "
                        + "Tokens will not survive a restart and other nodes will refuse them.");
            } else {
                secret = configured.getBytes(StandardCharsets.UTF_8);
            }
            verifier = new MACVerifier(secret);
            algorithm = JWSAlgorithm.HS256;
        } catch (JOSEException e) {
            throw new IllegalStateException("Setting " + Setting.TOKEN_SECRET.property()
                    + " must be at least 32 bytes for HS256", e);
        }
    }

    private static RSAPublicKey readRsaPublicKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalStateException("Setting " + Setting.TOKEN_PUBLIC_KEY.property()
                    + " is not a PEM RSA public key", e);
        }
    }

    /**
     * Whether this server issues tokens: not when an outside provider's RS256 key is configured, nor
     * when {@code switchboard.token.issue} is false (an outside provider sharing the HS256 secret).
     */
    public boolean issuesTokens() {
        return secret != null && issuing;
    }

    /** A chat token for the user, bound to the browser (a hash of its cookie) that holds the name. */
    public Issued issue(String user, String browser) {
        return sign(claims(user).claim(BROWSER_CLAIM, browser));
    }

    /**
     * A support token: a customer's (with the name they gave, and their email or null) or, once their
     * password was checked, an agent's or supervisor's.
     */
    public Issued issueSupport(String user, Role role, String displayName, String email) {
        JWTClaimsSet.Builder claims = claims(user).claim(Role.CLAIM, role.claimValue());
        if (displayName != null) {
            claims.claim(DISPLAY_NAME_CLAIM, displayName);
        }
        if (email != null) {
            claims.claim(EMAIL_CLAIM, email);
        }
        return sign(claims);
    }

    private JWTClaimsSet.Builder claims(String user) {
        if (!issuesTokens()) {
            throw new IllegalStateException("Tokens come from the outside identity provider");
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl).truncatedTo(ChronoUnit.SECONDS); // as precise as the token's exp
        return new JWTClaimsSet.Builder()
                .subject(user)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString());
    }

    private Issued sign(JWTClaimsSet.Builder claims) {
        if (!issuer.isEmpty()) {
            claims.issuer(issuer);
        }
        try {
            JWTClaimsSet built = claims.build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), built);
            jwt.sign(new MACSigner(secret));
            return new Issued(jwt.serialize(), built.getExpirationTime().toInstant());
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing a token failed", e);
        }
    }

    /** The user a valid token names, and its expiry; empty for a missing, malformed, forged or expired token. */
    public Optional<Verified> verify(String token) {
        if (token == null || token.isEmpty() || token.length() > 8192) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!algorithm.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            Date expires = claims.getExpirationTime();
            if (expires == null || !expires.toInstant().isAfter(now)) {
                return Optional.empty();
            }
            if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().minus(CLOCK_SKEW).isAfter(now)) {
                return Optional.empty();
            }
            if (!issuer.isEmpty() && !issuer.equals(claims.getIssuer())) {
                return Optional.empty();
            }
            String user = claims.getSubject();
            Object browser = claims.getClaim(BROWSER_CLAIM);
            return Names.isUser(user)
                    ? Optional.of(new Verified(user, expires.toInstant(), textOrNull(browser),
                            Role.ofClaim(claims.getClaim(Role.CLAIM)), textOrNull(claims.getClaim(DISPLAY_NAME_CLAIM)),
                            textOrNull(claims.getClaim(EMAIL_CLAIM)), claims.getClaims()))
                    : Optional.empty();
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String textOrNull(Object claim) {
        return claim instanceof String text ? text : null;
    }
}

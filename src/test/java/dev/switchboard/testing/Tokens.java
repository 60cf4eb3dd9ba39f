package dev.switchboard.testing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/** Chat tokens made by the test itself, as a site's own login would make them, with any expiry. */
public final class Tokens {

    /** The HS256 secret the test servers are started with. */
    public static final String SECRET = System.getProperty("switchboard.test.tokenSecret");

    private Tokens() {
    }

    public static String mint(String user, Instant expires, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject(user).issueTime(Date.from(Instant.now().minusSeconds(3600))).expirationTime(Date.from(expires)).build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    /** A token the test servers accept, expiring then. */
    public static String mint(String user, Instant expires) throws Exception {
        return mint(user, expires, SECRET);
    }

    /** A desk token with a role ({@code agent}, {@code supervisor}, {@code customer}), as an outside provider's would be. */
    public static String mintWithRole(String user, String role, Instant expires) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject(user).issueTime(Date.from(Instant.now().minusSeconds(60))).expirationTime(Date.from(expires))
                .claim("role", role).claim("name", user).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    /** A chat token carrying a {@code grants} claim (room or pattern to rights), as a site's back end would mint it. */
    public static String mintWithGrants(String user, java.util.Map<String, java.util.List<String>> grants, Instant expires) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject(user).issueTime(Date.from(Instant.now().minusSeconds(60))).expirationTime(Date.from(expires))
                .claim("grants", grants).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    /** A room token: this user's rights in this room until then, signed with the secret. */
    public static String mintRoomToken(String user, String room, java.util.List<String> rights, Instant expires, String secret)
            throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject(user).issueTime(Date.from(expires.minusSeconds(600))).expirationTime(Date.from(expires))
                .claim("room", room).claim("rights", rights).build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}

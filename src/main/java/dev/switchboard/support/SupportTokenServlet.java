package dev.switchboard.support;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.protocol.HttpJson;
import dev.switchboard.protocol.RefusalLog;
import dev.switchboard.security.ClientAddress;
import dev.switchboard.security.Role;
import dev.switchboard.security.TokenRequests;
import dev.switchboard.security.TokenService;
import dev.switchboard.session.TokenBuckets;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /api/support/token} with {@code {"name":"Ada","email":"ada@example.com"}} (email
 * optional): a customer token. Customers are guests: each token names a new customer id, and a
 * customer sees only their own conversations; {@code {"renew":"<token>"}} gives a fresh token for the
 * same customer while the old one is valid. {@code POST /api/support/login} with
 * {@code {"name":"ann","password":"…"}}: an agent's or supervisor's token, once the password is
 * checked; every try counts against the name and the address, and past the limit the answer is 429
 * whatever the password.
 */
@WebServlet({"/api/support/token", "/api/support/login"})
public class SupportTokenServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A display name: 1-64 characters, no control characters. */
    private static final Pattern DISPLAY_NAME = Pattern.compile("[^\\p{Cntrl}]{1,64}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]{1,189}");
    /** Logins per name and per address: 10 at once, then one every 30 s. */
    static final double LOGIN_BURST = 10;
    static final double LOGINS_PER_SECOND = 1 / 30.0;

    @Inject
    TokenService tokens;

    @Inject
    Accounts accounts;

    @Inject
    RefusalLog refusals;

    @Inject
    SwitchboardConfig config;

    @Inject
    TokenRequests requests;

    private final TokenBuckets loginsPerName = new TokenBuckets();
    private final TokenBuckets loginsPerAddress = new TokenBuckets();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!tokens.issuesTokens()) {
            HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "tokens_external",
                    "Tokens come from this site's identity provider");
            return;
        }
        if (request.getServletPath().endsWith("/login")) {
            login(request, response);
        } else {
            customer(request, response);
        }
    }

    private void customer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!requests.withinRate(request, response, "support token")) {
            return;
        }
        JsonObject json = HttpJson.readObject(request, response, MAX_BODY, "Send {\"name\":\"…\",\"email\":\"…\"} as JSON");
        if (json == null) {
            return;
        }
        String renew = HttpJson.text(json, "renew");
        if (renew != null) {
            renew(renew, response);
            return;
        }
        String name = HttpJson.text(json, "name");
        String email = HttpJson.text(json, "email");
        name = name == null ? null : name.strip();
        if (name == null || !DISPLAY_NAME.matcher(name).matches()) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_name", "A name is 1-64 characters");
            return;
        }
        if (email != null && !email.isBlank() && !EMAIL.matcher(email.strip()).matches()) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_email", "That is not an email address");
            return;
        }
        byte[] id = new byte[10];
        RANDOM.nextBytes(id);
        String customer = "c-" + HexFormat.of().formatHex(id);
        TokenService.Issued issued = tokens.issueSupport(customer, Role.CUSTOMER, name,
                email == null || email.isBlank() ? null : email.strip());
        HttpJson.write(response, HttpServletResponse.SC_OK,
                Map.of("token", issued.token(), "expiresAt", issued.expiresAt().toString(), "customer", customer));
    }

    /** A customer's fresh token for the same customer (their conversation stays theirs), while the old one is valid. */
    private void renew(String token, HttpServletResponse response) throws IOException {
        var verified = tokens.verify(token);
        if (verified.isEmpty() || verified.get().role() != Role.CUSTOMER) {
            HttpJson.error(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token", "Renew a valid customer token");
            return;
        }
        TokenService.Issued issued = tokens.issueSupport(verified.get().user(), Role.CUSTOMER, verified.get().displayName(),
                verified.get().email());
        HttpJson.write(response, HttpServletResponse.SC_OK, Map.of("token", issued.token(),
                "expiresAt", issued.expiresAt().toString(), "customer", verified.get().user()));
    }

    private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonObject json = HttpJson.readObject(request, response, MAX_BODY, "Send {\"name\":\"…\",\"password\":\"…\"} as JSON");
        if (json == null) {
            return;
        }
        String name = HttpJson.text(json, "name");
        String password = HttpJson.text(json, "password");
        if (name == null || password == null || name.length() > 64 || password.length() > 256) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "missing_field", "Send a name and a password");
            return;
        }
        String address = ClientAddress.of(request.getRemoteAddr());
        // Both buckets are charged on every try, so a guesser cannot learn which one stops them.
        boolean nameOk = loginsPerName.tryTake(name, LOGINS_PER_SECOND, LOGIN_BURST);
        boolean addressOk = loginsPerAddress.tryTake(address, LOGINS_PER_SECOND, LOGIN_BURST);
        if (!nameOk || !addressOk) {
            refusals.refused("login (429 rate_limited)", "name " + name + ", address " + request.getRemoteAddr(),
                    "too many tries");
            HttpJson.error(response, 429, "rate_limited", "Too many tries; wait a minute");
            return;
        }
        var account = accounts.verify(name, password);
        if (account.isEmpty()) {
            refusals.refused("login (401 bad_credentials)", "name " + name + ", address " + request.getRemoteAddr(),
                    "wrong name or password");
            HttpJson.error(response, HttpServletResponse.SC_UNAUTHORIZED, "bad_credentials", "Wrong name or password");
            return;
        }
        TokenService.Issued issued = tokens.issueSupport(name, account.get().role(), null, null);
        HttpJson.write(response, HttpServletResponse.SC_OK, Map.of("token", issued.token(),
                "expiresAt", issued.expiresAt().toString(), "role", account.get().role().claimValue()));
    }
}

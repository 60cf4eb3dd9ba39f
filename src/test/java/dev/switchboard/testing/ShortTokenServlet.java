package dev.switchboard.testing;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Test-only token source for pages: {@code GET /test-token?user=lena&seconds=3} gives a token that
 * expires that soon, as a site's own login would hand one to its page, so page tests can watch
 * switchboard.js refresh it.
 */
@WebServlet("/test-token")
public class ShortTokenServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    SwitchboardConfig config;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Instant expiresAt = Instant.now().plusSeconds(Long.parseLong(request.getParameter("seconds")))
                .truncatedTo(ChronoUnit.SECONDS);
        try {
            String token = Tokens.mint(request.getParameter("user"), expiresAt, config.text(Setting.TOKEN_SECRET));
            response.setContentType("application/json");
            response.setHeader("Cache-Control", "no-store");
            response.getWriter().print("{\"token\":\"" + token + "\",\"expiresAt\":\"" + expiresAt + "\"}");
        } catch (Exception e) {
            throw new IOException("Could not mint a test token", e);
        }
    }
}

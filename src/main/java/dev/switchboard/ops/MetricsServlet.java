package dev.switchboard.ops;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.metrics.Meters;
import dev.switchboard.protocol.HttpJson;
import dev.switchboard.security.Networks;
import dev.switchboard.security.TokenRequests;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: every meter in Prometheus's text format, for clients in
 * {@code switchboard.metrics.networks} (loopback by default) or with {@code switchboard.metrics.token}
 * as a bearer token; anyone else gets 403.
 */
@WebServlet("/metrics")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    Meters meters;

    @Inject
    SwitchboardConfig config;

    private transient Networks networks;
    private transient byte[] token;

    @Override
    public void init() throws ServletException {
        try {
            networks = Networks.parse(config.text(Setting.METRICS_NETWORKS));
        } catch (IllegalArgumentException e) {
            throw new ServletException("switchboard.metrics.networks: " + e.getMessage(), e);
        }
        String configured = config.text(Setting.METRICS_TOKEN);
        token = configured.isEmpty() ? null : configured.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!networks.contains(request.getRemoteAddr()) && !hasToken(request)) {
            HttpJson.error(response, HttpServletResponse.SC_FORBIDDEN, "forbidden",
                    "Metrics are for switchboard.metrics.networks, or with switchboard.metrics.token as a bearer token");
            return;
        }
        byte[] body = meters.scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private boolean hasToken(HttpServletRequest request) {
        String given = TokenRequests.bearerOf(request);
        return token != null && given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token);
    }
}

package dev.switchboard.security;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open chat WebSockets (against cross-site WebSocket hijacking): the
 * configured list, or by default the server's own origin. Clients that send no Origin are not
 * browsers and are let through; they must still present a token.
 */
@ApplicationScoped
public class OriginPolicy {

    @Inject
    SwitchboardConfig config;

    private Set<String> allowed;
    private boolean anyOrigin;

    @PostConstruct
    void readSettings() {
        String list = config.text(Setting.ALLOWED_ORIGINS);
        anyOrigin = list.trim().equals("*");
        allowed = Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(OriginPolicy::normalize).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @param origin the request's Origin header, or null
     * @param host   the request's Host header: the server's own origin is the one with this host and port
     */
    public boolean allows(String origin, String host) {
        if (origin == null || anyOrigin) {
            return true;
        }
        String normalized = normalize(origin);
        if (!allowed.isEmpty()) {
            return allowed.contains(normalized);
        }
        // Same origin: the page's host and port are the ones this request was sent to. The scheme is
        // not compared, so a TLS-terminating proxy in front of the server changes nothing.
        String authority = normalized.replaceFirst("^[a-z]+://", "");
        return host != null && authority.equals(withDefaultPort(host.toLowerCase(Locale.ROOT), normalized));
    }

    private static String withDefaultPort(String host, String origin) {
        if (host.contains(":") && !host.endsWith("]")) {
            return host;
        }
        return host + (origin.startsWith("https://") ? ":443" : ":80");
    }

    /** {@code scheme://host:port}, lower case, with the default port spelled out. */
    static String normalize(String origin) {
        try {
            URI uri = URI.create(origin.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
            return scheme + "://" + (uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT)) + ":" + port;
        } catch (IllegalArgumentException e) {
            return "invalid:" + origin;
        }
    }
}

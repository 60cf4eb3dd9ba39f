package dev.switchboard.proxy;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.security.BackendSignature;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Asks the site's back end ({@code switchboard.proxy.url}) whether a connection may open, a user may join
 * a room, or say a message there: a {@code POST} of JSON signed with {@link BackendSignature}, answered
 * within {@code switchboard.proxy.timeout}. The caller waits for the answer (at most the timeout), so a
 * connection's frames keep their order. No answer in time, a status other than 2xx or a body that is not
 * an answer fails closed (refused) or open (allowed), as {@code switchboard.proxy.fail} says. Answers to
 * joins may be kept for {@code switchboard.proxy.cache}; answers to says never are (they depend on the text).
 */
@ApplicationScoped
public class AuthorizationProxy {

    private static final Logger LOG = Logger.getLogger(AuthorizationProxy.class.getName());
    /** Largest answer read, in bytes; a longer one is no answer. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    /** Largest user info taken from a connect answer, in bytes of JSON; a larger one is no answer. */
    public static final int MAX_INFO_BYTES = 1024;
    /** Longest denial reason passed on to the client, in characters; the rest is cut. */
    public static final int MAX_REASON_CHARS = 200;
    /** What a denial says when the back end gave no reason. */
    static final String NO_REASON = "Refused by the site";
    /** Join answers kept at most; past it the oldest go first. */
    static final int CACHE_ENTRIES = 10_000;
    /** Failures are logged at most once per this long, with how many were left out. */
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Inject
    SwitchboardConfig config;

    @Inject
    NodeId node;

    @Inject
    MeterRegistry meters;

    /** The time signatures carry; the tests set their own. */
    Clock clock = Clock.systemUTC();
    /** The time cached answers expire by; the tests move it. */
    LongSupplier nanoTime = System::nanoTime;

    private URI url;
    private Duration timeout;
    private boolean failOpen;
    private long cacheNanos;
    private boolean atConnect;
    private BackendSignature signature;
    private HttpClient http;
    private final Map<String, Cached> joins = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };
    private long lastLoggedNanos;
    private int unlogged;

    private record Cached(ProxyAnswer answer, long untilNanos) {
    }

    /** Read at start-up: a proxy set up wrongly stops the application with its reason. */
    void checkWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        enabled();
    }

    @PostConstruct
    void readSettings() {
        String given = config.text(Setting.PROXY_URL);
        timeout = config.duration(Setting.PROXY_TIMEOUT);
        String fail = config.text(Setting.PROXY_FAIL);
        if (!fail.equals("closed") && !fail.equals("open")) {
            throw invalid(Setting.PROXY_FAIL, "closed or open");
        }
        failOpen = fail.equals("open");
        cacheNanos = SwitchboardConfig.parseDuration(config.text(Setting.PROXY_CACHE))
                .orElseThrow(() -> invalid(Setting.PROXY_CACHE, "a duration such as 0s, 30s or 5m")).toNanos();
        String connect = config.text(Setting.PROXY_CONNECT);
        if (!connect.equals("true") && !connect.equals("false")) {
            throw invalid(Setting.PROXY_CONNECT, "true or false");
        }
        atConnect = connect.equals("true");
        if (given.isEmpty()) {
            if (atConnect) {
                throw new IllegalStateException("Setting " + describe(Setting.PROXY_CONNECT) + " is true, and "
                        + describe(Setting.PROXY_URL) + ", the back end it asks, is not set");
            }
            return;
        }
        try {
            url = URI.create(given);
        } catch (IllegalArgumentException e) {
            throw invalid(Setting.PROXY_URL, "an http:// or https:// URL");
        }
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw invalid(Setting.PROXY_URL, "an http:// or https:// URL");
        }
        try {
            signature = BackendSignature.of(config.text(Setting.WEBHOOKS_SECRET));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Setting " + describe(Setting.PROXY_URL) + " is set, and "
                    + describe(Setting.WEBHOOKS_SECRET) + ", which signs its requests, is not usable: " + e.getMessage());
        }
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static String describe(Setting setting) {
        return setting.property() + " (" + setting.environmentVariable() + ")";
    }

    private IllegalStateException invalid(Setting setting, String expected) {
        return new IllegalStateException("Setting " + describe(setting) + " is '" + config.text(setting) + "', expected " + expected);
    }

    /** Whether a back end is configured to ask. */
    public boolean enabled() {
        return url != null;
    }

    /** Whether chat connections ask as they open ({@code switchboard.proxy.connect}). */
    public boolean asksAtConnect() {
        return atConnect && enabled();
    }

    /** May this user open a connection? An allowed one may come with the user's info. */
    public ProxyAnswer connect(String user, Map<String, Object> claims) {
        return ask("connect", request("connect", user, null, claims), Integer.MAX_VALUE).orElseGet(this::failed);
    }

    /** May this user join the room? Answers are kept for {@code switchboard.proxy.cache}, per user and room. */
    public ProxyAnswer join(String user, String room, Map<String, Object> claims) {
        String key = user + "\n" + room;
        if (cacheNanos > 0) {
            synchronized (joins) {
                Cached cached = joins.get(key);
                if (cached != null && nanoTime.getAsLong() - cached.untilNanos() < 0) {
                    return cached.answer();
                }
            }
        }
        Optional<ProxyAnswer> answer = ask("join", request("join", user, room, claims), Integer.MAX_VALUE);
        if (answer.isPresent() && cacheNanos > 0) {
            synchronized (joins) {
                joins.put(key, new Cached(answer.get(), nanoTime.getAsLong() + cacheNanos));
            }
        }
        return answer.orElseGet(this::failed);
    }

    /**
     * May this user say this text in the room? An allowed say may come back with its text edited, within
     * {@code maxTextBytes} (an edit that is empty or longer is no answer).
     */
    public ProxyAnswer say(String user, String room, String text, int maxTextBytes, Map<String, Object> claims) {
        return ask("say", request("say", user, room, claims).add("text", text), maxTextBytes).orElseGet(this::failed);
    }

    private JsonObjectBuilder request(String type, String user, String room, Map<String, Object> claims) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("type", type).add("user", user);
        if (room != null) {
            body.add("room", room);
        }
        return body.add("claims", Claims.toJson(claims)).add("node", node.get());
    }

    /** What no answer means: allowed as sent when the proxy fails open, refused when it fails closed. */
    private ProxyAnswer failed() {
        return failOpen ? ProxyAnswer.ALLOWED : ProxyAnswer.UNAVAILABLE;
    }

    /**
     * Posts the question and reads the answer, counted by its result; empty when the back end gave none
     * (which is counted as {@code failed} and logged).
     */
    private Optional<ProxyAnswer> ask(String type, JsonObjectBuilder question, int maxTextBytes) {
        if (!enabled()) {
            return Optional.of(ProxyAnswer.ALLOWED);
        }
        String body = question.build().toString();
        Optional<ProxyAnswer> answer;
        String failure;
        try {
            JsonObject read = post(body);
            answer = ProxyAnswer.read(type, read, maxTextBytes);
            failure = answer.isPresent() ? null : "not an answer to a " + type + ": " + abbreviated(read.toString());
        } catch (ProxyFailure e) {
            answer = Optional.empty();
            failure = e.getMessage();
        }
        count(type, answer.map(a -> a.allowed() ? "allow" : "deny").orElse("failed"));
        if (answer.isEmpty()) {
            logFailure(type, failure);
        }
        return answer;
    }

    private JsonObject post(String body) throws ProxyFailure {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(BackendSignature.HEADER, signature.sign(clock.instant().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        CompletableFuture<HttpResponse<byte[]>> sent = http.sendAsync(request, answered -> new BoundedBody(MAX_ANSWER_BYTES));
        HttpResponse<byte[]> response;
        try {
            response = sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw new ProxyFailure("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new ProxyFailure(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProxyFailure("interrupted while waiting for the answer");
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() / 100 != 2) {
            throw new ProxyFailure("answered " + response.statusCode() + " " + abbreviated(text));
        }
        try {
            return Json.createReader(new StringReader(text)).readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new ProxyFailure("answered something that is not a JSON object: " + abbreviated(text));
        }
    }

    private void count(String type, String result) {
        Counter.builder("switchboard.proxy.requests").description("Questions to the authorization proxy, by type and result")
                .tag("type", type).tag("result", result).register(meters).increment();
    }

    /** One line per ten seconds at most, saying how many failures it leaves out: a back end that is down cannot flood the log. */
    private void logFailure(String type, String failure) {
        int leftOut;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (lastLoggedNanos != 0 && now - lastLoggedNanos < LOG_EVERY_NANOS) {
                unlogged++;
                return;
            }
            lastLoggedNanos = now == 0 ? 1 : now;
            leftOut = unlogged;
            unlogged = 0;
        }
        LOG.log(Level.WARNING, () -> "The authorization proxy " + url + " failed a " + type + " (" + failure + "); "
                + (failOpen ? "allowed" : "refused") + " as switchboard.proxy.fail says"
                + (leftOut > 0 ? "; " + leftOut + " more failures since the last line" : ""));
    }

    private static String abbreviated(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    /** The back end could not be asked, or did not answer as the protocol says. */
    static final class ProxyFailure extends Exception {
        ProxyFailure(String message) {
            super(message, null, false, false);
        }
    }
}

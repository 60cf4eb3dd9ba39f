package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.security.BackendSignature;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A site's webhook receiver, as a site writes one: the JDK's HTTP server on loopback, which checks
 * every request's signature (a bad one fails the test that reads it) and answers as the test says:
 * {@code 200}, another status, or not at all (stalled until released). Every request is recorded, in
 * the order it came, with the answer it got.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request: its event, the node header, and what it was answered. */
    public record Request(JsonObject event, String idHeader, String typeHeader, boolean signed, int answered) {
        public String id() {
            return event.getString("id");
        }

        public String type() {
            return event.getString("type");
        }

        public JsonObject data() {
            return event.getJsonObject("data");
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final BackendSignature signature;
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final List<Request> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private volatile CountDownLatch stall = new CountDownLatch(0);
    private final Map<String, Integer> seen = new ConcurrentHashMap<>();

    /** A receiver that knows the secret(s) the server signs with, on a free port. */
    public WebhookReceiver(String secret) throws IOException {
        this(secret, 0);
    }

    /** A receiver on this port (where the test servers send their events: {@code switchboard.test.webhookPort}). */
    public WebhookReceiver(String secret, int port) throws IOException {
        signature = BackendSignature.of(secret);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.setExecutor(threads);
        server.createContext("/hook", exchange -> {
            try (exchange) {
                String body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                boolean signed = signature.verify(exchange.getRequestHeaders().getFirst(BackendSignature.HEADER), body,
                        System.currentTimeMillis() / 1000, 300);
                JsonObject event;
                try (JsonReader reader = Json.createReader(new StringReader(body))) {
                    event = reader.readObject();
                }
                try {
                    stall.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int answer = status.get();
                Request request = new Request(event, exchange.getRequestHeaders().getFirst("Switchboard-Event-Id"),
                        exchange.getRequestHeaders().getFirst("Switchboard-Event-Type"), signed, answer);
                all.add(request);
                requests.add(request);
                exchange.sendResponseHeaders(answer, -1);
            }
        });
        server.start();
    }

    /** The URL to set as {@code switchboard.webhooks.url}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** What the next requests are answered (200 until told otherwise). */
    public void answer(int code) {
        status.set(code);
    }

    /** Requests from now on get no answer until {@link #release()} (or a minute). */
    public void stall() {
        stall = new CountDownLatch(1);
    }

    public void release() {
        stall.countDown();
    }

    /** The next request, within the wait; it must be signed. */
    public Request next(Duration wait) throws InterruptedException {
        Request request = requests.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (request == null) {
            fail("No webhook request within " + wait);
        }
        assertTrue(request.signed(), () -> "An unsigned or badly signed request: " + request.event());
        return request;
    }

    /**
     * The next request that was answered 2xx and is not a retry of one delivered already, skipping
     * others (refused tries, repeats), for tests that care what was delivered rather than how.
     */
    public Request nextDelivered(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Request request = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (request.answered() / 100 == 2 && seen.merge(request.id(), 1, Integer::sum) == 1) {
                return request;
            }
        }
    }

    /** Every request so far, in the order they came, read or not. */
    public List<Request> all() {
        return List.copyOf(all);
    }

    /** The test servers' receiver, as the pom configures them. */
    public static WebhookReceiver forTestServers() throws IOException {
        return new WebhookReceiver(System.getProperty("switchboard.test.webhookSecret"),
                Integer.parseInt(System.getProperty("switchboard.test.webhookPort")));
    }

    /** Delivered events (first deliveries) until one matches, within the wait: those before it, and it last. */
    public List<Request> deliveredUntil(Predicate<Request> last, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<Request> got = new ArrayList<>();
        while (true) {
            Request request = nextDelivered(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            got.add(request);
            if (last.test(request)) {
                return got;
            }
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}

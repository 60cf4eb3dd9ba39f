package dev.switchboard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.security.BackendSignature;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A site's back end as the tests run it: the JDK's HTTP server on loopback, which checks the signature
 * of every request it gets, keeps each request for the test to read, and answers as the test says: a
 * status and a body, or nothing until the test lets it (a stalled back end).
 */
public final class SiteBackEnd implements AutoCloseable {

    /** What the back end got: the JSON body, and whether its signature header signs it with the secret. */
    public record Received(JsonObject body, boolean signed, String contentType) {
        public String type() {
            return body.getString("type");
        }
    }

    /** How to answer: a status and a body; {@code stall} holds the answer until {@link #release()} (or 10 s). */
    public record Answer(int status, String body, boolean stall) {
        public static Answer json(String body) {
            return new Answer(200, body, false);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final BackendSignature signature;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Function<JsonObject, Answer> answers = body -> Answer.json("{\"result\":\"allow\"}");

    private SiteBackEnd(HttpServer server, String secret) {
        this.server = server;
        this.signature = BackendSignature.of(secret);
    }

    /** A back end on 127.0.0.1 at this port (0: any free one) that checks signatures with this secret. */
    public static SiteBackEnd start(int port, String secret) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        SiteBackEnd backEnd = new SiteBackEnd(server, secret);
        server.createContext("/", backEnd::handle);
        server.setExecutor(backEnd.threads);
        server.start();
        return backEnd;
    }

    /** Its URL, for {@code switchboard.proxy.url}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/authorize";
    }

    /** Answers every request from now on as {@code answers} says, given the request's body. */
    public void answer(Function<JsonObject, Answer> answers) {
        this.answers = answers;
    }

    /** Lets stalled answers go. */
    public void release() {
        released.countDown();
    }

    /** The next request, waiting at most {@code seconds}; null when none came. */
    public Received next(long seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    /** Forgets the requests got and not read: a test starts from none. */
    public void forget() {
        received.clear();
    }

    /** Requests got and not yet read by the test. */
    public int waiting() {
        return received.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean signed = signature.verify(exchange.getRequestHeaders().getFirst(BackendSignature.HEADER), body,
                    Instant.now().getEpochSecond(), 300);
            JsonObject json = Json.createReader(new StringReader(body)).readObject();
            received.add(new Received(json, signed, exchange.getRequestHeaders().getFirst("Content-Type")));
            Answer answer = answers.apply(json);
            if (answer.stall()) {
                released.await(10, TimeUnit.SECONDS);
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // The client gave up (a timeout): nothing to answer. The test sees the request it had made.
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}

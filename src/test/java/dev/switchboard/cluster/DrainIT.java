package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.ServerNode;
import dev.switchboard.testing.TestClient;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A node stopped as an orchestrator stops it (SIGTERM) with 500 clients connected: readiness turns 503
 * before any client is told anything, then every client gets 1001, spread over the drain time, and the
 * process ends. A server process of its own (the run's server: Payara Micro, or Tomcat), since the test
 * must signal it.
 */
class DrainIT {

    private static final int CLIENTS = 500;
    private static final long UNREADY_FIRST_MILLIS = 1500;
    private static final long DRAIN_MILLIS = 3000;

    @Test
    void sigtermTurnsReadinessOffFirstThenTellsEveryClient1001InPacedBatches() throws Exception {
        ServerNode node = ServerNode.start("drain", "", List.of(
                "-Dswitchboard.shutdown.unready-first=" + UNREADY_FIRST_MILLIS + "ms",
                "-Dswitchboard.shutdown.drain=" + DRAIN_MILLIS + "ms",
                "-Dswitchboard.connections.per-address=" + (CLIENTS + 50),
                "-Dswitchboard.heartbeat.interval=5s", "-Dswitchboard.idle.timeout=30s",
                "-Dswitchboard.log.format=json"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = node.base().resolve("health/ready");
        List<TestClient> clients = new ArrayList<>();
        Queue<Told> closes = new ConcurrentLinkedQueue<>();
        try {
            ExecutorService opening = Executors.newFixedThreadPool(8);
            List<Future<TestClient>> opened = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                opened.add(opening.submit(() -> TestClient.connect(node.server().ws("ws/clock"))));
            }
            for (Future<TestClient> f : opened) {
                clients.add(f.get(60, TimeUnit.SECONDS));
            }
            opening.shutdown();
            awaitRegistered(http, node.base().resolve("metrics"));
            assertEquals(200, http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode());

            List<CompletableFuture<Void>> told = new ArrayList<>();
            for (TestClient client : clients) {
                told.add(client.closed.thenAccept(reason -> closes.add(new Told(System.nanoTime(), reason.getCloseCode().getCode()))));
            }
            long signalled = System.nanoTime();
            node.terminate();
            long unreadyAt = awaitUnready(http, ready, signalled);

            CompletableFuture.allOf(told.toArray(CompletableFuture[]::new))
                    .get(UNREADY_FIRST_MILLIS + DRAIN_MILLIS + 10_000, TimeUnit.MILLISECONDS);
            List<Told> inOrder = closes.stream().sorted(Comparator.comparingLong(Told::atNanos)).toList();
            assertEquals(CLIENTS, inOrder.size());
            assertTrue(inOrder.stream().allMatch(t -> t.code() == CloseReason.CloseCodes.GOING_AWAY.getCode()),
                    "every client got 1001: " + inOrder.stream().map(Told::code).distinct().toList());
            long first = inOrder.get(0).atNanos();
            long last = inOrder.get(inOrder.size() - 1).atNanos();
            assertTrue(unreadyAt < first, "readiness said 503 before the first client was told");
            long spreadMillis = TimeUnit.NANOSECONDS.toMillis(last - first);
            assertTrue(spreadMillis >= DRAIN_MILLIS / 2, "paced over the drain time, not all at once: " + spreadMillis + " ms");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(last - signalled) <= UNREADY_FIRST_MILLIS + DRAIN_MILLIS + 2000,
                    "every client was told within the configured time: " + TimeUnit.NANOSECONDS.toMillis(last - signalled) + " ms");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(first - signalled) >= UNREADY_FIRST_MILLIS - 100,
                    "nobody was told before readiness had been off for the configured time: the first after "
                    + TimeUnit.NANOSECONDS.toMillis(first - signalled) + " ms; readiness off after "
                    + TimeUnit.NANOSECONDS.toMillis(unreadyAt - signalled) + " ms; its log:\n" + node.tail());
            assertTrue(node.awaitExit(Duration.ofSeconds(30)), "the server stopped after the drain; its log:\n" + node.tail());
            List<JsonObject> lines = node.log().lines().filter(l -> l.startsWith("{\"")).map(ChatClient::parse).toList();
            assertTrue(lines.stream().anyMatch(l -> l.getString("message").startsWith("Switchboard node drain starting with {")),
                    "the settings in force at start, as a JSON line: " + lines);
            assertTrue(lines.stream().anyMatch(l -> l.getString("node").equals("drain")
                    && l.getString("message").equals("Told " + CLIENTS + " connections the server is going away (1001)")),
                    "the drain, as a JSON line naming the node: " + lines);
        } finally {
            for (TestClient client : clients) {
                client.close();
            }
            node.close();
        }
    }

    private record Told(long atNanos, int code) {
    }

    /** Waits until the server has every client registered (its own count, from /metrics, open to loopback by default). */
    private static void awaitRegistered(HttpClient http, URI metrics) {
        Awaitility.await("all " + CLIENTS + " clients registered").atMost(Duration.ofSeconds(20))
                .until(() -> http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body()
                        .lines().anyMatch(l -> l.startsWith("switchboard_connections{endpoint=\"clock\"") && l.endsWith(" " + CLIENTS + ".0")));
    }

    /** Polls readiness from the signal on; when it first said 503. */
    private static long awaitUnready(HttpClient http, URI ready, long since) throws Exception {
        long deadline = since + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try {
                int status = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 503) {
                    return System.nanoTime();
                }
            } catch (java.io.IOException notAnswering) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("readiness never said 503 between SIGTERM and the server going");
    }
}

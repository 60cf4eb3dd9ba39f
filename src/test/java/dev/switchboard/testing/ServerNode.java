package dev.switchboard.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One Switchboard node as a site runs it: a server process of its own with the built WAR, started by
 * the test (not Arquillian, which runs one server at a time), so that several can share a Redis and one
 * can be killed outright. The server is the one the test run is for ({@code arquillian.launch}): Payara
 * Micro, or embedded Tomcat ({@link TomcatNodeMain}). Uses the test settings the in-container tests use.
 */
public final class ServerNode implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String id;
    private final int port;
    private final Process process;
    private final Path log;

    private ServerNode(String id, int port, Process process, Path log) {
        this.id = id;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts a node with this id on a free port, with the given extra settings ({@code -Dname=value}). */
    public static ServerNode start(String id, String redisUrl, List<String> settings) throws IOException {
        String war = required("switchboard.war");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path dir = Files.createTempDirectory("node-" + id);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Djava.io.tmpdir=" + dir,
                "-Dswitchboard.node.id=" + id, "-Dswitchboard.redis.url=" + redisUrl,
                "-Dswitchboard.heartbeat.interval=1s", "-Dswitchboard.idle.timeout=3s",
                "-Dswitchboard.history.size=20", "-Dswitchboard.token.per-minute=1000",
                "-Dswitchboard.token.secret=" + required("switchboard.test.tokenSecret"),
                "-Dswitchboard.support.accounts=" + required("switchboard.test.supportAccounts"),
                "-Dswitchboard.support.offer-timeout=2s", "-Dswitchboard.support.agent-grace=2s",
                "-Dswitchboard.support.customer-grace=3s", "-Dswitchboard.api.key=" + required("switchboard.test.apiKey"),
                "-Dswitchboard.namespaces=" + required("switchboard.test.namespaces"),
                "-Dswitchboard.proxy.url=" + required("switchboard.test.proxyUrl"),
                "-Dswitchboard.webhooks.secret=" + required("switchboard.test.webhookSecret")));
        command.addAll(settings);
        if ("tomcat".equals(System.getProperty("arquillian.launch"))) {
            // The test JVM's own class path has embedded Tomcat; the WAR brings the rest (Weld, Yasson).
            command.addAll(List.of("-Dorg.apache.tomcat.websocket.DISABLE_BUILTIN_EXTENSIONS=true",
                    "-cp", System.getProperty("java.class.path"), TomcatNodeMain.class.getName(),
                    war, String.valueOf(port), dir.resolve("tomcat").toString()));
        } else {
            command.addAll(List.of("-jar", required("payara.microJar"), "--deploy", war, "--contextroot", "switchboard",
                    "--port", String.valueOf(port), "--prebootcommandfile", required("switchboard.preBoot"),
                    "--nohazelcast", "--disablephonehome", "--rootdir", dir.resolve("root").toString()));
        }
        Path log = dir.resolve("server.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly)); // never outlive the tests
        ServerNode node = new ServerNode(id, port, process, log);
        node.awaitDeployed();
        return node;
    }

    /** Starts nodes with these ids at once (a Payara Micro start is mostly waiting), all on one Redis. */
    public static List<ServerNode> startAll(String redisUrl, List<String> settings, String... ids) {
        List<java.util.concurrent.CompletableFuture<ServerNode>> starting = new ArrayList<>();
        for (String id : ids) {
            starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return start(id, redisUrl, settings);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        return starting.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set (the pom sets it for failsafe)");
        }
        return value;
    }

    private void awaitDeployed() {
        try {
            Awaitility.await("node " + id + " deployed on port " + port).atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("node " + id + " exited; its log:\n" + tail());
                        }
                        String text = Files.readString(log);
                        if (text.contains("Exception while loading the app") || text.contains("startup failed due to previous errors")) {
                            throw new IllegalStateException("node " + id + " failed to deploy; the causes its log names:\n"
                                    + causes(text) + "\nthe end of its log:\n" + tail());
                        }
                        return answers();
                    });
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private boolean answers() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(base().resolve("index.html"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Everything the node has written (standard output and error). */
    public String log() throws IOException {
        return Files.readString(this.log);
    }

    /** The log's "Caused by" lines, once each: why a deployment failed, wherever in a long log it was said. */
    private static String causes(String log) {
        return String.join("\n", log.lines().filter(line -> line.startsWith("Caused by")).distinct().limit(20).toList());
    }

    /** The last lines of the node's log, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port + "/switchboard/");
    }

    /** The node as the tests' clients reach it. */
    public Server server() {
        return Server.at(base());
    }

    public String id() {
        return id;
    }

    /** Asks the node to stop as an orchestrator does (SIGTERM), without waiting for it. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the node's process to end; false if it has not within the time. */
    public boolean awaitExit(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kills the node as a crash would: no close frames, no cleanup (SIGKILL). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
        // The log stays (under target/) for whoever reads a failure.
    }

}

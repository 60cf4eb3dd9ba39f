package dev.switchboard.webhooks;

import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Holds;
import dev.switchboard.engine.Logs;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.security.BackendSignature;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes one URL its events, in the order they were queued, each until it is taken.
 *
 * <p>The queue is an engine log, so every node appends to the same one and it outlives whichever node
 * wrote to it. One node sends: the one holding the URL's hold, renewed well within the presence lease;
 * when it dies another takes the hold over once it lapses and goes on from the log's delivered mark, so
 * an event whose answer was lost may be sent twice (with the same id), never skipped. An event is
 * done when the receiver answers {@code 2xx}, or refuses it for good ({@code 4xx} but 408 and 429:
 * counted and logged, not tried again). Anything else (5xx, 408, 429, no answer within the timeout, no
 * connection) is tried again after a pause that doubles from 1 s up to the retry cap, and the events
 * behind it wait: they stay in order. The log's size and age bound what waits; what it drops before it
 * was sent is counted.
 */
final class Courier {

    private static final Logger LOG = Logger.getLogger(Courier.class.getName());
    /** Events read from the log and sent in one go before the log is read again. */
    static final int BATCH = 500;
    /** Recent tries kept for the admin page. */
    static final int RECENT = 20;
    private static final long FIRST_PAUSE_MILLIS = 1000;

    private final URI url;
    private final String log;
    private final Logs logs;
    private final Holds holds;
    private final String node;
    private final HttpClient http;
    private final BackendSignature signature;
    private final Duration timeout;
    private final long retryMaxMillis;
    private final long leaseMillis;
    private final Logs.Retention retention;
    private final Clock clock;

    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile long holdingUntil;
    private volatile String sender = "";
    private volatile long retryAt;
    private volatile long backlog;
    private int failures;
    private final Deque<CourierReport.Attempt> recent = new ArrayDeque<>();

    private final Counter delivered;
    private final Counter rejected;
    private final Counter retried;
    private final Counter dropped;
    private final Timer took;
    private final AtomicLong droppedHere = new AtomicLong();
    private final AtomicLong deliveredHere = new AtomicLong();
    private final AtomicLong rejectedHere = new AtomicLong();
    private final AtomicLong retriedHere = new AtomicLong();

    Courier(URI url, Logs logs, Holds holds, String node, HttpClient http, BackendSignature signature, Duration timeout,
            long retryMaxMillis, long leaseMillis, Logs.Retention retention, Clock clock, MeterRegistry meters) {
        this.url = url;
        this.log = logOf(url);
        this.logs = logs;
        this.holds = holds;
        this.node = node;
        this.http = http;
        this.signature = signature;
        this.timeout = timeout;
        this.retryMaxMillis = retryMaxMillis;
        this.leaseMillis = leaseMillis;
        this.retention = retention;
        this.clock = clock;
        this.delivered = meters.counter("switchboard.webhooks.deliveries", "result", "delivered");
        this.rejected = meters.counter("switchboard.webhooks.deliveries", "result", "rejected");
        this.retried = meters.counter("switchboard.webhooks.deliveries", "result", "retried");
        this.dropped = meters.counter("switchboard.webhooks.dropped");
        this.took = meters.timer("switchboard.webhooks.delivery");
    }

    /** The URL's queue: an engine log named by a digest of the URL (which may hold a token: it stays out of keys). */
    static String logOf(URI url) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.toString().getBytes(StandardCharsets.UTF_8));
            return "webhooks:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The URL's queue in the engine. */
    String log() {
        return log;
    }

    /** Queues an event for the URL; completes once the engine keeps it. */
    CompletionStage<Void> enqueue(String body) {
        return logs.append(log, body, retention).thenAccept(entry -> {
            if (sending()) {
                kick(); // this node sends: at once, not at the next round
            }
        });
    }

    /** One round (twice a second): takes or keeps the hold, then sends what waits if this node holds it. */
    void round() {
        long now = clock.millis();
        Optional<Holds.Hold> held = holds.get(log);
        boolean ours = held.isPresent() && held.get().holder().equals(node);
        if (ours && held.get().untilMillis() - now > leaseMillis * 2 / 3) {
            holdingUntil = held.get().untilMillis();
        } else if (held.isEmpty() || ours || held.get().untilMillis() < now) {
            Holds.Hold next = new Holds.Hold(node, now + leaseMillis);
            holdingUntil = holds.replace(log, held, next) ? next.untilMillis() : 0;
        } else {
            holdingUntil = 0;
        }
        sender = holdingUntil > 0 ? node : held.map(Holds.Hold::holder).orElse("");
        if (sending()) {
            kick();
        }
    }

    /** Whether this node sends the URL's events now: it holds the hold, with a margin for clocks that differ. */
    boolean sending() {
        return holdingUntil - clock.millis() > leaseMillis / 6;
    }

    /** Lets the hold go (on undeploy), so that another node takes over at once. */
    void release() {
        long until = holdingUntil;
        holdingUntil = 0;
        if (until > 0) {
            holds.drop(log, new Holds.Hold(node, until));
        }
    }

    private void kick() {
        if (busy.compareAndSet(false, true)) {
            try {
                pump();
            } catch (RuntimeException e) {
                busy.set(false);
                throw e;
            }
        }
    }

    /** Reads what waits after the delivered mark and sends it; busy until the batch is through or a try failed. */
    private void pump() {
        if (clock.millis() < retryAt || !sending()) {
            busy.set(false);
            return;
        }
        Logs.Position mark = logs.delivered(log).toCompletableFuture().join();
        Logs.Replay replay = logs.read(log, mark.offset(), mark.epoch()).toCompletableFuture().join();
        backlog = Math.max(0, replay.lastOffset() - mark.offset());
        List<Entry> waiting = new ArrayList<>();
        for (Entry entry : replay.entries()) {
            if (!replay.recovered() || entry.offset() > mark.offset()) {
                waiting.add(entry);
            }
        }
        boolean sameLog = mark.epoch() == null || mark.epoch().equals(replay.epoch()); // else it started anew: unknowable
        if (!replay.recovered() && sameLog && !waiting.isEmpty()) {
            long lost = waiting.get(0).offset() - mark.offset() - 1; // too old, or past the backlog: gone before sent
            if (lost > 0) {
                dropped.increment(lost);
                droppedHere.addAndGet(lost);
                LOG.log(Level.WARNING, "{0} webhook events for {1} were dropped unsent (past the backlog or max age)",
                        new Object[] {lost, url});
            }
        }
        if (waiting.isEmpty()) {
            busy.set(false);
            return;
        }
        sendFrom(waiting.subList(0, Math.min(BATCH, waiting.size())).iterator());
    }

    private void sendFrom(Iterator<Entry> next) {
        if (!next.hasNext()) {
            busy.set(false);
            kick(); // more may have come meanwhile
            return;
        }
        if (!sending()) {
            busy.set(false);
            return;
        }
        Entry entry = next.next();
        long started = System.nanoTime();
        WebhookEvent event = FrameCodec.fromJson(entry.body(), WebhookEvent.class);
        post(event, entry.body()).whenComplete((status, failure) -> {
            try {
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                took.record(Duration.ofMillis(millis));
                boolean done = failure == null && (status / 100 == 2 || status / 100 == 4 && status != 408 && status != 429);
                String outcome = failure != null ? describe(failure) : status / 100 == 2 ? "delivered" : done ? "rejected" : "retry";
                remember(new CourierReport.Attempt(event.id(), event.type(), Instant.ofEpochMilli(clock.millis()).toString(),
                        failure == null ? status : 0, millis, outcome));
                if (done) {
                    (status / 100 == 2 ? delivered : rejected).increment();
                    (status / 100 == 2 ? deliveredHere : rejectedHere).incrementAndGet();
                    if (status / 100 != 2) {
                        LOG.log(Level.WARNING, "Webhook receiver {0} refused event {1} ({2}) with {3}; it is not sent again",
                                new Object[] {url, event.id(), event.type(), status});
                    }
                    failures = 0;
                    logs.markDelivered(log, new Logs.Position(entry.offset(), entry.epoch()));
                    backlog = Math.max(0, backlog - 1);
                    sendFrom(next);
                    return;
                }
                retried.increment();
                retriedHere.incrementAndGet();
                failures++;
                long pause = Math.min(retryMaxMillis, FIRST_PAUSE_MILLIS << Math.min(failures - 1, 20));
                retryAt = clock.millis() + pause;
                if (failures == 1 || failures % 10 == 0) {
                    LOG.log(Level.WARNING, "Webhook receiver {0} did not take event {1} ({2}: {3}); try {4}, next in {5} ms",
                            new Object[] {url, event.id(), event.type(), outcome, failures, pause});
                }
                busy.set(false);
            } catch (RuntimeException e) {
                busy.set(false);
                LOG.log(Level.WARNING, e, () -> "Sending webhook events to " + url + " failed; next round tries again");
            }
        });
    }

    private CompletableFuture<Integer> post(WebhookEvent event, String body) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Switchboard")
                .header(BackendSignature.HEADER, signature.sign(clock.millis() / 1000, body))
                .header("Switchboard-Event-Id", event.id())
                .header("Switchboard-Event-Type", event.type())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof java.net.http.HttpTimeoutException ? "timeout" : "no answer: " + cause.getClass().getSimpleName();
    }

    private synchronized void remember(CourierReport.Attempt attempt) {
        recent.addFirst(attempt);
        while (recent.size() > RECENT) {
            recent.removeLast();
        }
    }

    synchronized CourierReport report() {
        long retry = retryAt;
        return new CourierReport(url.toString(), sender, sending(), backlog, deliveredHere.get(), rejectedHere.get(),
                retriedHere.get(), droppedHere.get(), retry > clock.millis() ? Instant.ofEpochMilli(retry).toString() : null,
                List.copyOf(recent));
    }
}

package dev.switchboard.security;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Seats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Places for WebSocket connections, counted from the handshake: in all, per client address, and per
 * chat user. A place is reserved atomically before the upgrade, so handshakes that arrive together
 * cannot all pass a cap. It is freed when its connection closes or its upgrade fails; one reserved but
 * never taken by an open connection (the client vanished after the 101) lapses after
 * {@link #UNCLAIMED_NANOS}. A user's place is also a seat in the engine, so the cap counts their
 * connections on every node (with one node in memory, this node's count is all there is).
 */
@ApplicationScoped
public class ConnectionSlots {

    static final long UNCLAIMED_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static final Logger LOG = Logger.getLogger(ConnectionSlots.class.getName());

    /** A seat that cannot be given back while the engine is away is tried again after this, a few times. */
    static final long GIVE_BACK_RETRY_MILLIS = 2_000;
    static final int GIVE_BACK_TRIES = 150;

    @Inject
    Seats seats;

    @Inject
    ServerExecutors executors;

    private final Map<String, List<Slot>> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    /** Engine seats of closed connections not yet given back (the work pool has them, or Redis is away). */
    private final Set<Seat> givingBack = ConcurrentHashMap.newKeySet();
    /** Places reserved and not yet taken by an open connection: only handshakes in flight, so few. */
    private final Set<Slot> unclaimed = ConcurrentHashMap.newKeySet();

    /** A reserved place among all connections, or among one key's (a user's, an address's). */
    public final class Slot {
        private final String key;
        private final long reservedAt;
        private final AtomicBoolean freed = new AtomicBoolean();
        /** The engine's seat this place holds (a user's), or null. */
        private volatile Seat seat;

        Slot(String key, long reservedAt) {
            this.key = key;
            this.reservedAt = reservedAt;
        }

        /** The connection this place was reserved for is open: it holds until {@link #free()}. */
        public void claim() {
            unclaimed.remove(this);
        }

        /** Gives the place back; once, however often it is called. */
        public void free() {
            if (!freed.compareAndSet(false, true)) {
                return;
            }
            unclaimed.remove(this);
            Seat held = seat;
            if (held != null) {
                giveBack(held);
            }
            if (key == null) {
                connections.decrementAndGet();
            } else {
                byKey.computeIfPresent(key, (k, slots) -> {
                    slots.remove(this);
                    return slots.isEmpty() ? null : slots;
                });
            }
        }

        boolean lapsed(long nowNanos) {
            return nowNanos - reservedAt > UNCLAIMED_NANOS;
        }
    }

    /** One of {@code max} places among all connections; empty when all are taken. */
    public Optional<Slot> reserveConnection(int max) {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (connections.incrementAndGet() <= max) {
                return Optional.of(reserved(new Slot(null, System.nanoTime())));
            }
            connections.decrementAndGet();
            freeLapsed();
        }
        return Optional.empty();
    }

    /** One of the client address's {@code max} places; empty when all are taken. */
    public Optional<Slot> reserveForAddress(String address, int max) {
        return reserve("address " + address, max);
    }

    /** A user's seat in the engine, under its unique id. */
    private record Seat(String user, String id) {
    }

    /**
     * One of the user's {@code max} chat places, here and (as a seat in the engine) on every node;
     * empty when all are taken. If the engine cannot be reached, this node's count alone decides.
     */
    public Optional<Slot> reserveForUser(String user, int max) {
        Optional<Slot> local = reserve("user " + user, max);
        if (local.isEmpty()) {
            return local;
        }
        Seat seat = new Seat(user, UUID.randomUUID().toString());
        try {
            // A seat of theirs this node is still giving back (a reload at the cap) is given back first.
            if (!seats.take(user, seat.id(), max) && !(settleGivingBack(user) && seats.take(user, seat.id(), max))) {
                local.get().free();
                return Optional.empty();
            }
            local.get().seat = seat;
        } catch (EngineUnavailable e) {
            LOG.log(Level.WARNING, "Counting the connections of {0} on every node failed ({1}); this node''s count decides",
                    new Object[] {user, e.getMessage()});
        }
        return local;
    }

    /** Gives the engine's seat back on the work pool: a close never waits for Redis. */
    private void giveBack(Seat seat) {
        givingBack.add(seat);
        try {
            executors.work().execute(() -> giveBack(seat, 1));
        } catch (RejectedExecutionException shuttingDown) {
            givingBack.remove(seat); // the node's seats go with its lease
        }
    }

    private void giveBack(Seat seat, int tries) {
        if (!givingBack.contains(seat)) {
            return; // given back already, by a handshake of the same user that could not wait
        }
        try {
            seats.giveBack(seat.user(), seat.id());
            givingBack.remove(seat);
        } catch (EngineUnavailable e) {
            if (tries < GIVE_BACK_TRIES) {
                executors.later(() -> giveBack(seat, tries + 1), GIVE_BACK_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            givingBack.remove(seat);
            // Past five minutes: the seat lapses with this node's lease when it stops, or its next run sweeps it.
            LOG.log(Level.WARNING, "Giving back a seat of {0} failed: {1}", new Object[] {seat.user(), e.getMessage()});
        }
    }

    /** Gives back, now, the user's seats this node is still giving back; true if there were any. */
    private boolean settleGivingBack(String user) {
        boolean any = false;
        for (Seat seat : givingBack) {
            if (seat.user().equals(user) && givingBack.remove(seat)) {
                try {
                    seats.giveBack(seat.user(), seat.id());
                } catch (EngineUnavailable e) {
                    givingBack.add(seat); // still the work pool's to give back, when the engine is back
                    throw e;
                }
                any = true;
            }
        }
        return any;
    }

    /** Whether the user has a chat connection open, or one on its way, on this node or another. */
    public boolean holdsAny(String user) {
        if (byKey.containsKey("user " + user)) {
            return true;
        }
        try {
            return seats.anyTaken(user);
        } catch (EngineUnavailable e) {
            return true; // cannot tell: the name stays with whoever had it rather than go to someone else
        }
    }

    private Optional<Slot> reserve(String key, int max) {
        for (int attempt = 0; attempt < 2; attempt++) {
            Slot slot = new Slot(key, System.nanoTime());
            boolean[] reserved = {false};
            byKey.compute(key, (k, slots) -> {
                List<Slot> held = slots == null ? new ArrayList<>() : slots;
                if (held.size() < max) {
                    held.add(slot);
                    reserved[0] = true;
                }
                return held.isEmpty() ? null : held;
            });
            if (reserved[0]) {
                return Optional.of(reserved(slot));
            }
            freeLapsed();
        }
        return Optional.empty();
    }

    private Slot reserved(Slot slot) {
        unclaimed.add(slot);
        return slot;
    }

    /** At a cap: places whose connection never opened are given back before anyone is refused. */
    private void freeLapsed() {
        long now = System.nanoTime();
        for (Slot slot : unclaimed) {
            if (slot.lapsed(now)) {
                slot.free();
            }
        }
    }
}

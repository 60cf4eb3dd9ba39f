package dev.switchboard.security;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Places;
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
 * ReservedPlaces for WebSocket connections, counted from the handshake: in all, per client address, and per
 * chat user. A place is reserved atomically before the upgrade, so handshakes that arrive together
 * cannot all pass a cap. It is freed when its connection closes or its upgrade fails; one reserved but
 * never taken by an open connection (the client vanished after the 101) lapses after
 * {@link #UNCLAIMED_NANOS}. A user's place is also counted in the engine (a {@link UserPlace}), so the cap counts their
 * connections on every node (with one node in memory, this node's count is all there is).
 */
@ApplicationScoped
public class ConnectionPlaces {

    static final long UNCLAIMED_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static final Logger LOG = Logger.getLogger(ConnectionPlaces.class.getName());

    /** A place that cannot be given back while the engine is away is tried again after this, a few times. */
    static final long GIVE_BACK_RETRY_MILLIS = 2_000;
    static final int GIVE_BACK_TRIES = 150;

    @Inject
    Places everywhere;

    @Inject
    ServerExecutors executors;

    private final Map<String, List<Place>> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    /** Engine places of closed connections not yet given back (the work pool has them, or Redis is away). */
    private final Set<UserPlace> givingBack = ConcurrentHashMap.newKeySet();
    /** ReservedPlaces reserved and not yet taken by an open connection: only handshakes in flight, so few. */
    private final Set<Place> unclaimed = ConcurrentHashMap.newKeySet();

    /** A reserved place among all connections, or among one key's (a user's, an address's). */
    public final class Place {
        private final String key;
        private final long reservedAt;
        private final AtomicBoolean freed = new AtomicBoolean();
        /** How the engine counts this place (a user's), or null. */
        private volatile UserPlace counted;

        Place(String key, long reservedAt) {
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
            UserPlace held = counted;
            if (held != null) {
                giveBack(held);
            }
            if (key == null) {
                connections.decrementAndGet();
            } else {
                byKey.computeIfPresent(key, (k, places) -> {
                    places.remove(this);
                    return places.isEmpty() ? null : places;
                });
            }
        }

        boolean lapsed(long nowNanos) {
            return nowNanos - reservedAt > UNCLAIMED_NANOS;
        }
    }

    /** One of {@code max} places among all connections; empty when all are taken. */
    public Optional<Place> reserveConnection(int max) {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (connections.incrementAndGet() <= max) {
                return Optional.of(reserved(new Place(null, System.nanoTime())));
            }
            connections.decrementAndGet();
            freeLapsed();
        }
        return Optional.empty();
    }

    /** One of the client address's {@code max} places; empty when all are taken. */
    public Optional<Place> reserveForAddress(String address, int max) {
        return reserve("address " + address, max);
    }

    /** A user's place in the engine, under its unique id. */
    private record UserPlace(String user, String id) {
    }

    /**
     * One of the user's {@code max} chat places, here and (counted in the engine) on every node;
     * empty when all are taken. If the engine cannot be reached, this node's count alone decides.
     */
    public Optional<Place> reserveForUser(String user, int max) {
        Optional<Place> local = reserve("user " + user, max);
        if (local.isEmpty()) {
            return local;
        }
        UserPlace place = new UserPlace(user, UUID.randomUUID().toString());
        try {
            // A place of theirs this node is still giving back (a reload at the cap) is given back first.
            if (!everywhere.take(user, place.id(), max) && !(settleGivingBack(user) && everywhere.take(user, place.id(), max))) {
                local.get().free();
                return Optional.empty();
            }
            local.get().counted = place;
        } catch (EngineUnavailable e) {
            LOG.log(Level.WARNING, "Counting the connections of {0} on every node failed ({1}); this node''s count decides",
                    new Object[] {user, e.getMessage()});
        }
        return local;
    }

    /** Gives the engine's place back on the work pool: a close never waits for Redis. */
    private void giveBack(UserPlace place) {
        givingBack.add(place);
        try {
            executors.work().execute(() -> giveBack(place, 1));
        } catch (RejectedExecutionException shuttingDown) {
            givingBack.remove(place); // the node's places go with its lease
        }
    }

    private void giveBack(UserPlace place, int tries) {
        if (!givingBack.contains(place)) {
            return; // given back already, by a handshake of the same user that could not wait
        }
        try {
            everywhere.giveBack(place.user(), place.id());
            givingBack.remove(place);
        } catch (EngineUnavailable e) {
            if (tries < GIVE_BACK_TRIES) {
                executors.later(() -> giveBack(place, tries + 1), GIVE_BACK_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            givingBack.remove(place);
            // Past five minutes: the place lapses with this node's lease when it stops, or its next run sweeps it.
            LOG.log(Level.WARNING, "Giving back a place of {0} failed: {1}", new Object[] {place.user(), e.getMessage()});
        }
    }

    /** Gives back, now, the user's places this node is still giving back; true if there were any. */
    private boolean settleGivingBack(String user) {
        boolean any = false;
        for (UserPlace place : givingBack) {
            if (place.user().equals(user) && givingBack.remove(place)) {
                try {
                    everywhere.giveBack(place.user(), place.id());
                } catch (EngineUnavailable e) {
                    givingBack.add(place); // still the work pool's to give back, when the engine is back
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
            return everywhere.anyTaken(user);
        } catch (EngineUnavailable e) {
            return true; // cannot tell: the name stays with whoever had it rather than go to someone else
        }
    }

    private Optional<Place> reserve(String key, int max) {
        for (int attempt = 0; attempt < 2; attempt++) {
            Place place = new Place(key, System.nanoTime());
            boolean[] reserved = {false};
            byKey.compute(key, (k, places) -> {
                List<Place> held = places == null ? new ArrayList<>() : places;
                if (held.size() < max) {
                    held.add(place);
                    reserved[0] = true;
                }
                return held.isEmpty() ? null : held;
            });
            if (reserved[0]) {
                return Optional.of(reserved(place));
            }
            freeLapsed();
        }
        return Optional.empty();
    }

    private Place reserved(Place place) {
        unclaimed.add(place);
        return place;
    }

    /** At a cap: places whose connection never opened are given back before anyone is refused. */
    private void freeLapsed() {
        long now = System.nanoTime();
        for (Place place : unclaimed) {
            if (place.lapsed(now)) {
                place.free();
            }
        }
    }
}

package dev.switchboard.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Chat connections per user, counted from the handshake: a slot is reserved atomically before the
 * upgrade, so handshakes that arrive together cannot all pass the cap. A slot is freed when its
 * connection closes or its upgrade fails; one reserved but never claimed by an open connection (the
 * client vanished after the 101) lapses after {@link #UNCLAIMED_NANOS}.
 */
@ApplicationScoped
public class ConnectionSlots {

    static final long UNCLAIMED_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Map<String, List<Slot>> byUser = new ConcurrentHashMap<>();

    /** A reserved place among a user's connections. */
    public final class Slot {
        private final String user;
        private final long reservedAt;
        private volatile boolean claimed;
        private final AtomicBoolean freed = new AtomicBoolean();

        Slot(String user, long reservedAt) {
            this.user = user;
            this.reservedAt = reservedAt;
        }

        /** The connection this slot was reserved for is open: the slot holds until {@link #free()}. */
        public void claim() {
            claimed = true;
        }

        /** Gives the slot back; once, however often it is called. */
        public void free() {
            if (freed.compareAndSet(false, true)) {
                byUser.computeIfPresent(user, (u, slots) -> {
                    slots.remove(this);
                    return slots.isEmpty() ? null : slots;
                });
            }
        }

        boolean lapsed(long nowNanos) {
            return !claimed && nowNanos - reservedAt > UNCLAIMED_NANOS;
        }
    }

    /** Whether the user has a chat connection open, or one on its way. */
    public boolean holdsAny(String user) {
        return byUser.containsKey(user);
    }

    /** Reserves one of the user's {@code max} slots; empty when all are taken. */
    public Optional<Slot> reserve(String user, int max) {
        long now = System.nanoTime();
        Slot slot = new Slot(user, now);
        boolean[] reserved = {false};
        byUser.compute(user, (u, slots) -> {
            List<Slot> held = slots == null ? new ArrayList<>() : slots;
            held.removeIf(s -> s.lapsed(now));
            if (held.size() < max) {
                held.add(slot);
                reserved[0] = true;
            }
            return held.isEmpty() ? null : held;
        });
        return reserved[0] ? Optional.of(slot) : Optional.empty();
    }
}

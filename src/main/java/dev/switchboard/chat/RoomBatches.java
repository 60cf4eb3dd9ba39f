package dev.switchboard.chat;

import dev.switchboard.config.ServerExecutors;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * What changed in each room on this node since its members were last told, told once per batch: the
 * change that begins a room's batch schedules its telling after a delay, and telling takes the batch
 * away, so changes from then on begin the next. This is how a busy room costs its members one frame per
 * interval however many joins, leaves or reads it sees ({@link PresenceAnnouncer}, {@link RoomReads}).
 *
 * <p>A batch is changed under its own monitor; once taken it is no longer changed (a change that finds
 * it taken goes into the next batch), so telling reads it without racing anyone.
 *
 * @param <B> what a batch gathers
 */
final class RoomBatches<B> {

    private final Map<String, B> pending = new ConcurrentHashMap<>();
    private final ServerExecutors executors;
    private final Supplier<B> fresh;
    private final ToLongFunction<String> delayMillis;
    private final BiConsumer<String, B> tell;

    /**
     * Batches begun by {@code fresh}, told by {@code tell} (on the work pool) {@code delayMillis} of the room
     * after the change that began them.
     */
    RoomBatches(ServerExecutors executors, Supplier<B> fresh, ToLongFunction<String> delayMillis, BiConsumer<String, B> tell) {
        this.executors = executors;
        this.fresh = fresh;
        this.delayMillis = delayMillis;
        this.tell = tell;
    }

    /** Makes the change to the room's batch, beginning one (and scheduling its telling) when none is pending. */
    void add(String room, Consumer<B> change) {
        while (true) {
            boolean[] began = {false};
            B batch = pending.computeIfAbsent(room, r -> {
                began[0] = true;
                return fresh.get();
            });
            synchronized (batch) {
                if (pending.get(room) != batch) {
                    continue; // taken meanwhile: the change goes into the next batch
                }
                change.accept(batch);
            }
            if (began[0]) {
                schedule(room);
            }
            return;
        }
    }

    private void schedule(String room) {
        try {
            executors.later(() -> tell(room), delayMillis.applyAsLong(room), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            pending.remove(room);
        }
    }

    /** Takes the room's batch, if one is pending, and tells it. */
    void tell(String room) {
        B batch = pending.remove(room);
        if (batch == null) {
            return;
        }
        synchronized (batch) {
            // Taken: a change begun before this completes first, and none comes after it.
        }
        tell.accept(room, batch);
    }
}

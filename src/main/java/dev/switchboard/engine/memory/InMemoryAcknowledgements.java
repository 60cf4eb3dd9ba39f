package dev.switchboard.engine.memory;

import dev.switchboard.engine.Acknowledgements;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The last acks per user in this JVM; old client ids are forgotten first. */
public class InMemoryAcknowledgements implements Acknowledgements {

    /** Client ids remembered in all; a retry comes within seconds, so this reaches far enough back. */
    static final int REMEMBERED = 100_000;
    /** A first try not answered within this long (its thread died) no longer holds its retries back. */
    static final long UNDERWAY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** An ack, or the time a first try began while it is underway. Guarded by itself. */
    private final Map<String, Object> byCid = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > REMEMBERED;
        }
    };

    private static String key(String user, String cid) {
        return user + '\n' + cid;
    }

    @Override
    public Claim claim(String user, String cid) {
        long now = System.nanoTime();
        synchronized (byCid) {
            Object held = byCid.get(key(user, cid));
            if (held instanceof String ack) {
                return new Answered(ack);
            }
            if (held instanceof Long since && now - since < UNDERWAY_NANOS) {
                return new Underway();
            }
            byCid.put(key(user, cid), now);
            return new First();
        }
    }

    @Override
    public void answer(String user, String cid, String ack) {
        synchronized (byCid) {
            byCid.put(key(user, cid), ack);
        }
    }

    @Override
    public void release(String user, String cid) {
        synchronized (byCid) {
            byCid.remove(key(user, cid));
        }
    }
}

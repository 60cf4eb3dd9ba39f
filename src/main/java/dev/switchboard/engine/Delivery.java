package dev.switchboard.engine;

/**
 * Fan-out: hands an already serialized frame to every connection subscribed to a topic
 * ({@code room:lobby}, {@code user:alice}), on this node or, with a cluster engine, on all of them.
 */
public interface Delivery {

    static String userTopic(String user) {
        return "user:" + user;
    }

    /**
     * A frame queued for every subscriber but not yet written. Queuing is cheap and may happen under
     * a lock that orders frames (a room's); writing is not, and happens in {@link #flush()}, after it.
     */
    interface Fanout {
        /** How many connections took the frame (0: nobody is listening). */
        int reached();

        /** Starts writing to every connection that took the frame; call it outside any lock. */
        void flush();
    }

    /** Queues the frame for every subscriber of the topic but the connection {@code exceptConnectionId} (may be null). */
    Fanout enqueue(String topic, String text, String exceptConnectionId);

    /** Queues and writes at once; returns how many connections took the frame. */
    default int publish(String topic, String text, String exceptConnectionId) {
        Fanout fanout = enqueue(topic, text, exceptConnectionId);
        fanout.flush();
        return fanout.reached();
    }
}

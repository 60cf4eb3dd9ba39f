package dev.switchboard.engine;

/**
 * Fan-out: hands an already serialized frame to every connection subscribed to a topic
 * ({@code room:lobby}, {@code user:alice}), on this node or, with a cluster engine, on all of them.
 */
public interface Delivery {

    static String roomTopic(String room) {
        return "room:" + room;
    }

    static String userTopic(String user) {
        return "user:" + user;
    }

    /**
     * Delivers to every subscriber of the topic but the connection {@code exceptConnectionId} (may be
     * null); returns how many connections took it (0: nobody is listening).
     */
    int publish(String topic, String text, String exceptConnectionId);
}

package dev.switchboard.engine;

import java.util.concurrent.CompletionStage;

/**
 * What reaches this node from the logs and topics it is interested in, whichever node published it:
 * appended entries, in each log's offset order, and signals (typing, presence) that nothing stores.
 * A node is interested in a topic while some connection of its own wants it.
 */
public interface Bus {

    /** This node's one listener; its calls for one log come in offset order, never two at once. */
    interface Listener {

        /**
         * An entry was appended to a log this node is interested in. The listener queues it for its
         * connections and returns the writes, which the engine runs once out of its ordering lock.
         */
        Runnable entry(Entry entry);

        /** A signal for a topic this node is interested in, for every connection but the one that sent it. */
        void signal(String topic, String text, String exceptConnectionId);

        /** The link to the other nodes was lost and is back: entries may have been missed meanwhile. */
        void reconnected();
    }

    void listen(Listener listener);

    /** From now on this node hears the topic (a log's name or a signal topic); completes once it does. */
    CompletionStage<Void> interested(String topic);

    /**
     * This node no longer needs the topic. What was already on its way may still arrive for a moment;
     * the listener passes over topics it does not follow.
     */
    void uninterested(String topic);

    /** Sends a signal to every node interested in the topic, this one included. */
    void signal(String topic, String text, String exceptConnectionId);
}

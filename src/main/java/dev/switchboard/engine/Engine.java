package dev.switchboard.engine;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * One engine: where a node's logs, bus, presence and acknowledgements live. Chosen once, at start:
 * in memory for one node, on Redis for several. Features see only the interfaces.
 */
public interface Engine {

    Logs logs();

    Bus bus();

    Presence presence();

    Acknowledgements acknowledgements();

    Places places();

    /** The holds of user names (the built-in token issuer's). */
    Holds holds();

    /**
     * Holds of a set of their own, counted and listed apart from the names' and from every other set's:
     * deadlines shared by the nodes, such as a user's offline grace.
     */
    Holds holds(String set);

    Documents documents();

    /**
     * Whether the store answers now (a round trip to every Redis server, bounded by the command timeout);
     * in memory, always. For readiness: a node whose store is away should get no new traffic.
     */
    boolean reachable();

    /** Registers the engine's own meters: how much the store holds, how often it failed or reconnected. */
    void meter(MeterRegistry meters);

    /** What it is, for the start-up log: "in memory", "Redis at host:port". */
    String describe();

    /** Lets go of connections and threads, on undeploy. */
    void close();
}

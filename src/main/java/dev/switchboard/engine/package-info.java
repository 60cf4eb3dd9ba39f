/**
 * The seam between the features and where their state lives: ordered logs ({@code Logs}), what reaches
 * this node ({@code Bus}), presence with leases, client-id claims, connection places, name holds and
 * versioned documents (compare and set). {@code
 * engine.memory} implements them for one node, {@code engine.redis} on Redis for several, and {@code
 * engine.wiring} starts the one the settings ask for.
 */
package dev.switchboard.engine;

/**
 * The engine for several nodes, on Redis (Lettuce): logs as a hash and a list per log, appended by a
 * Lua script that assigns the offset, keeps the entry and publishes it in one step, so every node sees
 * a log's entries in the order Redis ran the script; the bus as pub/sub on a connection of its own;
 * presence and acknowledgements as keys changed atomically.
 */
package dev.switchboard.engine.redis;

package dev.switchboard.engine;

/**
 * One entry of an ordered log (a room's messages): its offset, given by the store, in the log's
 * epoch, and the body the feature wrote (a JSON object the engine never reads).
 */
public record Entry(String log, long offset, String epoch, String body) {
}

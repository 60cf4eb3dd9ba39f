/**
 * The seam between chat and where its state lives: history, inboxes, presence, acknowledgements and
 * fan-out. {@code engine.memory} holds the single-node implementations; a Redis engine for several
 * nodes implements the same interfaces.
 */
package dev.switchboard.engine;

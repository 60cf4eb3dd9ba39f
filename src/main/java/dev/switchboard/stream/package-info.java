/**
 * Connections following ordered logs on this node, over the engine's {@code Logs} and {@code Bus}: each
 * gets a log's entries once and in offset order, however they arrive (joined mid-stream, pub/sub lost
 * a message, the link to the other nodes came back). Features (chat rooms and whispers, the desk's transcripts)
 * say how an entry looks on the wire; this package knows nothing of them.
 */
package dev.switchboard.stream;

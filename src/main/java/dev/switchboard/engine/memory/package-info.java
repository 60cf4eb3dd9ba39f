/** In-memory engine: all chat state in this JVM, for one node (the embedded default). */
package dev.switchboard.engine.memory;

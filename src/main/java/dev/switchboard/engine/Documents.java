package dev.switchboard.engine;

import java.util.Optional;

/**
 * Small documents shared by every node, each with a version: a caller reads one, works out the next
 * text, and writes it only if nobody wrote meanwhile (compare and set), so nodes that race over one
 * document never both win. For state that must change as one piece, such as a support desk's queue
 * and its agents' loads.
 */
public interface Documents {

    /** A document's text and its version (1 for its first text, one more on every write). */
    record Versioned(String text, long version) {
    }

    Optional<Versioned> get(String key);

    /**
     * Writes {@code text} if the document's version is still {@code expectedVersion} (0: it does not
     * exist yet); false when another write came first. The document lapses after {@code keepMillis}
     * without a write (0: kept until deleted).
     */
    boolean replace(String key, long expectedVersion, String text, long keepMillis);
}

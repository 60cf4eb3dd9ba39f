package dev.switchboard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engine.Documents.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every engine's documents promise; each engine's test gives its own {@link #documents()}. */
public abstract class DocumentsContract {

    /** Keys unique to the test, so engines that outlive a test (a Redis server) start clean. */
    private final String prefix = "d" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private Documents documents;

    protected abstract Documents documents();

    @BeforeEach
    void useDocuments() {
        documents = documents();
    }

    @Test
    void aDocumentIsWrittenOnlyOverTheVersionTheWriterRead() {
        String key = prefix + "desk";
        assertEquals(Optional.empty(), documents.get(key));
        assertFalse(documents.replace(key, 1, "never", 0), "it does not exist: version 0");
        assertTrue(documents.replace(key, 0, "first", 0));
        assertEquals(Optional.of(new Versioned("first", 1)), documents.get(key));
        assertFalse(documents.replace(key, 0, "second", 0), "someone wrote it first");
        assertTrue(documents.replace(key, 1, "second", 0));
        assertEquals(Optional.of(new Versioned("second", 2)), documents.get(key));
    }

    @Test
    void aDocumentNotWrittenForItsKeepingTimeLapses() {
        String key = prefix + "brief";
        assertTrue(documents.replace(key, 0, "{}", 300));
        Awaitility.await("the document lapses").atMost(Duration.ofSeconds(5)).until(() -> documents.get(key).isEmpty());
        assertTrue(documents.replace(key, 0, "again", 0), "lapsed: written anew from version 0");
        assertEquals(1, documents.get(key).orElseThrow().version());
    }

    @Test
    void writersRacingLoseNoWrite() throws Exception {
        String key = prefix + "counter";
        int writers = 6;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> conflicts = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                conflicts.add(pool.submit(() -> {
                    int lost = 0;
                    for (int i = 0; i < each; i++) {
                        while (true) { // read, add one, write if nobody wrote meanwhile
                            Optional<Versioned> now = documents.get(key);
                            long count = now.map(v -> Long.parseLong(v.text())).orElse(0L);
                            if (documents.replace(key, now.map(Versioned::version).orElse(0L), String.valueOf(count + 1), 0)) {
                                break;
                            }
                            lost++;
                        }
                    }
                    return lost;
                }));
            }
            for (Future<Integer> writer : conflicts) {
                writer.get(60, TimeUnit.SECONDS);
            }
            Versioned last = documents.get(key).orElseThrow();
            assertEquals(String.valueOf(writers * each), last.text(), "every increment counted once");
            assertEquals(writers * each, last.version());
        } finally {
            pool.shutdownNow();
        }
    }
}

package dev.switchboard.support;

import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Documents;
import dev.switchboard.engine.EngineUnavailable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the desk lives: one document in the engine, changed by compare and set, so nodes that change
 * it at once never lose a change and never both win a customer or a seat. After every change the
 * other nodes are told through the bus (a signal on {@link #TOPIC}) and read it again.
 */
@ApplicationScoped
public class DeskStore {

    static final String KEY = "support:desk";
    /** Signalled after each change, with the new version. */
    static final String TOPIC = "support:desk";
    /** Tries of one change that other nodes keep beating before it gives up. */
    private static final int ATTEMPTS = 50;

    /** The desk at a version. */
    public record Versioned(Desk desk, long version) {
    }

    /** What a change returns, with the desk it left. */
    public record Changed<T>(T result, Versioned after) {
    }

    @Inject
    Documents documents;

    @Inject
    Bus bus;

    private final Jsonb jsonb = JsonbBuilder.create();

    /** The desk as stored now (a new, empty one if none is). */
    public Versioned read() {
        Optional<Documents.Versioned> stored = documents.get(KEY);
        return stored.map(d -> new Versioned(jsonb.fromJson(d.text(), Desk.class), d.version()))
                .orElseGet(() -> new Versioned(new Desk(), 0));
    }

    /**
     * Applies the change to the current desk and stores it, unless another node stored a newer one first
     * (then it reads that and applies the change again). A change that alters nothing writes nothing.
     *
     * @throws EngineUnavailable when the store cannot be reached, or others kept winning
     */
    public <T> Changed<T> change(Function<Desk, T> change) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Documents.Versioned> stored = documents.get(KEY);
            Desk desk = stored.map(d -> jsonb.fromJson(d.text(), Desk.class)).orElseGet(Desk::new);
            long version = stored.map(Documents.Versioned::version).orElse(0L);
            String before = jsonb.toJson(desk);
            T result = change.apply(desk);
            String after = jsonb.toJson(desk);
            if (after.equals(before)) {
                return new Changed<>(result, new Versioned(desk, version));
            }
            if (documents.replace(KEY, version, after, 0)) {
                bus.signal(TOPIC, String.valueOf(version + 1), null);
                return new Changed<>(result, new Versioned(desk, version + 1));
            }
        }
        throw new EngineUnavailable("The support desk changed too often to write; try again", null);
    }
}

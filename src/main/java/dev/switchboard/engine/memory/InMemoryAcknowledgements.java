package dev.switchboard.engine.memory;

import dev.switchboard.engine.Acknowledgements;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The last acks per user in this JVM; old client ids are forgotten first. */
@ApplicationScoped
public class InMemoryAcknowledgements implements Acknowledgements {

    /** Client ids remembered in all; a retry comes within seconds, so this reaches far enough back. */
    static final int REMEMBERED = 100_000;

    private final Map<String, String> acks = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    });

    @Override
    public Optional<String> find(String user, String cid) {
        return Optional.ofNullable(acks.get(user + '\n' + cid));
    }

    @Override
    public void remember(String user, String cid, String ack) {
        acks.put(user + '\n' + cid, ack);
    }
}

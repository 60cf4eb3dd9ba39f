package dev.switchboard.engine.memory;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.ChatMessage;
import dev.switchboard.engine.Inbox;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Offline whispers in this JVM: per user, the last N younger than the retention time. */
@ApplicationScoped
public class InMemoryInbox implements Inbox {

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private int size;
    private long ttlMillis;
    private final Map<String, Deque<ChatMessage>> inboxes = new ConcurrentHashMap<>();

    /** An inbox outside the container, for other packages' unit tests. */
    public static InMemoryInbox forTests(SwitchboardConfig config, Clock clock) {
        InMemoryInbox inbox = new InMemoryInbox();
        inbox.config = config;
        inbox.clock = clock;
        inbox.readSettings();
        return inbox;
    }

    @PostConstruct
    void readSettings() {
        size = config.positiveInt(Setting.INBOX_SIZE);
        ttlMillis = config.duration(Setting.INBOX_TTL).toMillis();
    }

    @Override
    public void keep(ChatMessage whisper) {
        inboxes.compute(whisper.to(), (user, kept) -> {
            Deque<ChatMessage> box = kept == null ? new ArrayDeque<>() : kept;
            box.addLast(whisper);
            long oldestKept = clock.millis() - ttlMillis;
            while (!box.isEmpty() && (box.size() > size || box.peekFirst().ts() < oldestKept)) {
                box.removeFirst();
            }
            return box.isEmpty() ? null : box;
        });
    }

    @Override
    public boolean holdsFor(String user) {
        boolean[] holds = {false};
        inboxes.computeIfPresent(user, (u, box) -> { // read as keep writes: under the key's lock
            holds[0] = !box.isEmpty() && box.peekLast().ts() >= clock.millis() - ttlMillis;
            return box;
        });
        return holds[0];
    }

    @Override
    public List<ChatMessage> takeAll(String user) {
        Deque<ChatMessage> box = inboxes.remove(user);
        if (box == null) {
            return List.of();
        }
        long oldestKept = clock.millis() - ttlMillis;
        return box.stream().filter(m -> m.ts() >= oldestKept).toList();
    }
}

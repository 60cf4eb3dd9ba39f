package dev.switchboard.chat;

import dev.switchboard.engine.Documents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the site's back end said of each user as their connection opened (display name, avatar, roles), kept
 * in the engine, so that a {@code joined} on any node can show it for the members it lists. A user's info is
 * a small document, written at each connect that asks the back end, lapsing a day after the last one.
 */
@ApplicationScoped
public class MemberInfo {

    private static final String PREFIX = "member-info:";
    /** How long a user's info is kept after their last connect. */
    static final Duration KEPT = Duration.ofDays(1);
    /** What the document holds once the back end gave no info: the old info is gone. */
    private static final String NONE = "{}";

    @Inject
    Documents documents;

    /** The user's info as the back end gave it at their latest connect (null: none, and an older one is forgotten). */
    void keep(String user, JsonObject info) {
        String key = PREFIX + user;
        Optional<Documents.Versioned> kept = documents.get(key);
        if (info == null && kept.map(k -> k.text().equals(NONE)).orElse(true)) {
            return;
        }
        // Another tab's connect at the same moment may write first: its answer is as fresh as this one.
        documents.replace(key, kept.map(Documents.Versioned::version).orElse(0L), info == null ? NONE : info.toString(),
                KEPT.toMillis());
    }

    /** By user, the info of those of these users that have some; null when none has. One engine read per user. */
    JsonObject of(List<String> users) {
        JsonObjectBuilder found = Json.createObjectBuilder();
        boolean any = false;
        for (String user : users) {
            Optional<Documents.Versioned> kept = documents.get(PREFIX + user);
            if (kept.isPresent() && !kept.get().text().equals(NONE)) {
                found.add(user, Json.createReader(new StringReader(kept.get().text())).readObject());
                any = true;
            }
        }
        return any ? found.build() : null;
    }
}

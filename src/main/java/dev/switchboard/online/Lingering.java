package dev.switchboard.online;

import dev.switchboard.engine.Documents;
import dev.switchboard.engine.Holds;
import dev.switchboard.protocol.FrameCodec;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Whether subjects (users, rooms) are here, as the site is told: one comes at once, and goes only after
 * a grace without it, so that a reload or a node's restart is no news. Each subject's state is one engine
 * document changed by compare and set, so however many nodes see a change, the one whose write wins tells
 * it, once. A departure waiting for its grace is a hold (of a set of its own) lapsing when the grace ends;
 * every node looks for lapsed ones, so a departure is told even when the node that saw it died.
 */
final class Lingering {

    /** Tries of one change against writes of other nodes, each on what they wrote. */
    private static final int TRIES = 20;
    /** Subjects settled per round. */
    static final int SETTLE_BATCH = 200;
    /** How long a subject's state is kept after its last change (so {@code lastSeen} is known for that long). */
    static final long KEEP_MILLIS = 30L * 24 * 60 * 60 * 1000;

    /**
     * A subject's state: here or not (as told), since when, when it was last seen (its last connection
     * went), and when it went, while its grace runs (0: it is not going).
     */
    public record State(boolean here, long since, long lastSeen, long goneAt) {
    }

    /** Who is told of changes: called by the node that decided them, once each. */
    interface Told {
        void came(String subject, State state);

        void went(String subject, State state);
    }

    private final String kind;
    private final Documents documents;
    private final Holds deadlines;
    private final Clock clock;
    private final long graceMillis;
    private final Predicate<String> here;
    private final Told told;

    /**
     * @param kind what the subjects are ({@code user}, {@code room}): part of their documents' keys
     * @param here whether a subject is here now, on some node (presence)
     */
    Lingering(String kind, Documents documents, Holds deadlines, Clock clock, long graceMillis, Predicate<String> here,
            Told told) {
        this.kind = kind;
        this.documents = documents;
        this.deadlines = deadlines;
        this.clock = clock;
        this.graceMillis = graceMillis;
        this.here = here;
        this.told = told;
    }

    private String key(String subject) {
        return "status:" + kind + ":" + subject;
    }

    /** The subject's state as told; empty when never seen (or not for {@link #KEEP_MILLIS}). */
    Optional<State> state(String subject) {
        return documents.get(key(subject)).map(d -> FrameCodec.fromJson(d.text(), State.class));
    }

    /** The subject came (its first connection on any node): told at once, unless it was still here within its grace. */
    void came(String subject) {
        for (int i = 0; i < TRIES; i++) {
            Optional<Documents.Versioned> doc = documents.get(key(subject));
            Optional<State> now = doc.map(d -> FrameCodec.fromJson(d.text(), State.class));
            long version = doc.map(Documents.Versioned::version).orElse(0L);
            if (now.isPresent() && now.get().here() && now.get().goneAt() == 0) {
                return; // here already: another node told it
            }
            boolean news = now.isEmpty() || !now.get().here();
            State next = news ? new State(true, clock.millis(), now.map(State::lastSeen).orElse(0L), 0)
                    : new State(true, now.get().since(), now.get().lastSeen(), 0); // back within its grace
            if (documents.replace(key(subject), version, FrameCodec.toJson(next), KEEP_MILLIS)) {
                if (news) {
                    told.came(subject, next);
                }
                return;
            }
        }
    }

    /**
     * The subject's last connection went (from a node, or with a node that died): it goes once its grace
     * has passed with it still away.
     */
    void went(String subject) {
        if (here.test(subject)) {
            return;
        }
        for (int i = 0; i < TRIES; i++) {
            Optional<Documents.Versioned> doc = documents.get(key(subject));
            if (doc.isEmpty()) {
                return; // never told it came
            }
            State now = FrameCodec.fromJson(doc.get().text(), State.class);
            if (!now.here() || now.goneAt() != 0) {
                return; // gone, or going already
            }
            long at = clock.millis();
            if (documents.replace(key(subject), doc.get().version(),
                    FrameCodec.toJson(new State(true, now.since(), at, at)), KEEP_MILLIS)) {
                Optional<Holds.Hold> held = deadlines.get(subject);
                deadlines.replace(subject, held, new Holds.Hold("", at + graceMillis)); // a race lost: the other set one
                return;
            }
        }
    }

    /** Tells the departures whose grace has passed, on whichever node comes first; returns how many it looked at. */
    int settle() {
        Map<String, Holds.Hold> due = deadlines.lapsed(clock.millis(), SETTLE_BATCH);
        for (Map.Entry<String, Holds.Hold> deadline : due.entrySet()) {
            settle(deadline.getKey());
            deadlines.drop(deadline.getKey(), deadline.getValue());
        }
        return due.size();
    }

    private void settle(String subject) {
        for (int i = 0; i < TRIES; i++) {
            Optional<Documents.Versioned> doc = documents.get(key(subject));
            if (doc.isEmpty()) {
                return;
            }
            State now = FrameCodec.fromJson(doc.get().text(), State.class);
            if (!now.here() || now.goneAt() == 0) {
                return; // told already, or came back
            }
            boolean back = here.test(subject);
            State next = back ? new State(true, now.since(), now.lastSeen(), 0) : new State(false, clock.millis(), now.lastSeen(), 0);
            if (documents.replace(key(subject), doc.get().version(), FrameCodec.toJson(next), KEEP_MILLIS)) {
                if (!back) {
                    told.went(subject, next);
                }
                return;
            }
        }
    }
}

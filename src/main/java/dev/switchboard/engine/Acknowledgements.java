package dev.switchboard.engine;

/**
 * Idempotency for client ids ({@code cid}): the first try of a user's client id claims it atomically
 * and, once handled, leaves its ack for any retry; tries at the same moment cannot both go ahead.
 */
public interface Acknowledgements {

    /** What a try of a client id may do: go ahead (the first), resend the first's ack, or nothing yet. */
    interface Claim {
    }

    /** The first try: go ahead, then {@link #answer} or {@link #release}. */
    record First() implements Claim {
    }

    /** A retry of a handled one: send this ack again, do nothing else. */
    record Answered(String ack) implements Claim {
    }

    /** A retry while the first try is still being handled (for at most a few seconds): the first answers. */
    record Underway() implements Claim {
    }

    Claim claim(String user, String cid);

    /** The first try was handled: retries get this ack. */
    void answer(String user, String cid, String ack);

    /** The first try was refused (rate limited, say): a retry is a first try again. */
    void release(String user, String cid);
}

package dev.switchboard.webhooks;

import java.util.List;

/**
 * What the admin page shows of one URL: which node sends its events, whether this one does, what waits,
 * what was delivered, refused, tried again and dropped (counted on this node since it started), when the
 * next try is due after a failure, and this node's recent tries, newest first.
 */
public record CourierReport(String url, String sender, boolean sentHere, long backlog, long delivered, long rejected,
        long retried, long dropped, String retryAt, List<Attempt> recent) {

    /** One try: the event, when, the HTTP status (0: no answer), how long it took, and what came of it. */
    public record Attempt(String id, String type, String at, int status, long millis, String outcome) {
    }
}

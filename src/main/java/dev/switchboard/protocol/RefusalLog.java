package dev.switchboard.protocol;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One log line per refusal (a handshake refused with 401, 403 or 429, a connection closed for a policy
 * violation), naming who and why but never a token; at most {@value #LINES_PER_MINUTE} lines a minute,
 * so a flood cannot fill the disk: the refusals left out are counted in the next line written.
 */
@ApplicationScoped
public class RefusalLog {

    private static final Logger LOG = Logger.getLogger(RefusalLog.class.getName());
    static final int LINES_PER_MINUTE = 60;
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private long windowStart = System.nanoTime();
    private int linesInWindow;
    private long leftOut;

    /**
     * Logs a refusal, unless the minute's lines are spent.
     *
     * @param what  what was refused, e.g. "chat handshake 401" or "close 1008"
     * @param who   the user, or the client's address when there is no user
     * @param why   the reason, as the client was told it
     */
    public void refused(String what, String who, String why) {
        long skipped;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - windowStart > MINUTE_NANOS) {
                windowStart = now;
                linesInWindow = 0;
            }
            if (++linesInWindow > LINES_PER_MINUTE) {
                leftOut++;
                return;
            }
            skipped = leftOut;
            leftOut = 0;
        }
        String line = "Refused " + what + " for " + printable(who) + ": " + printable(why);
        LOG.info(skipped == 0 ? line : line + " (and " + skipped + " earlier refusals not logged: over "
                + LINES_PER_MINUTE + " a minute)");
    }

    /** A client-chosen value, cut short and with control characters out, so it cannot forge log lines. */
    private static String printable(String value) {
        if (value == null) {
            return "-";
        }
        String cut = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}

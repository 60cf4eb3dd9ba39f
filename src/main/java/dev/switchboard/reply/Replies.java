package dev.switchboard.reply;

import dev.switchboard.engine.Acknowledgements;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.RefusalLog;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.session.Connection;
import dev.switchboard.session.Frame;
import dev.switchboard.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * How a feature answers a client: replies, refusals (which count as strikes), rate limits, and the
 * idempotency of messages with a client id (claimed on the first try, acknowledged once, retries
 * answered with the same ack). Shared by chat (rooms, whispers, typing) and the support desk.
 */
@ApplicationScoped
public class Replies {

    @Inject
    SessionRegistry registry;

    @Inject
    Acknowledgements acks;

    @Inject
    RateLimits rateLimits;

    @Inject
    RefusalLog refusals;

    /**
     * The engine could not do what the frame asked: the client gets {@code unavailable} (not a strike:
     * it did nothing wrong) and the log a line, at most 60 a minute however many clients are refused.
     */
    public void unavailable(Connection connection, String what, Throwable failure, String cid, String message) {
        refusals.refused(what + " (unavailable)", "user " + connection.user(), String.valueOf(failure.getMessage()));
        reply(connection, SharedFrame.Error.of(ErrorCode.UNAVAILABLE, message).withCid(cid));
    }

    /** Sends a frame record (of a feature's family, or a shared one) to one connection; an error is counted. */
    public void reply(Connection connection, Object frame) {
        if (frame instanceof SharedFrame.Error error) {
            registry.countRefusal(error);
        }
        connection.send(new Frame.Encoded(frame));
    }

    /** Answers a refused frame with its error; refusals count as strikes against the connection. */
    public void refuse(Connection connection, SharedFrame.Error error) {
        registry.refuse(connection, error);
    }

    /** Charges the user's rate limit (and the live room's, when {@code room} is one); a refusal is answered. */
    public boolean withinRate(Connection connection, String room, String cid) {
        if (rateLimits.take(connection.user(), room)) {
            return true;
        }
        refuse(connection, SharedFrame.Error.of(ErrorCode.RATE_LIMITED, "Too many messages; slow down").withCid(cid));
        return false;
    }

    public boolean hasText(Connection connection, String text, String cid) {
        if (text != null && !text.isEmpty()) {
            return true;
        }
        refuse(connection, SharedFrame.Error.of(ErrorCode.MISSING_FIELD, "Field 'text' is required").withCid(cid));
        return false;
    }

    /**
     * Claims the client id for this try. A retry of a handled message gets its ack again and goes no
     * further; a retry while the first try is underway goes no further (the first answers).
     */
    public boolean firstTry(Connection connection, String kind, String cid) {
        if (cid == null) {
            return true;
        }
        Acknowledgements.Claim claim = acks.claim(connection.user(), kind + ":" + cid);
        if (claim instanceof Acknowledgements.Answered answered) {
            connection.send(new Frame.Text(answered.ack()));
        }
        return claim instanceof Acknowledgements.First;
    }

    /** The first try was refused: a retry may go ahead (or, if the engine cannot be told, once the claim lapses). */
    public void letGo(Connection connection, String kind, String cid) {
        if (cid != null) {
            try {
                acks.release(connection.user(), kind + ":" + cid);
            } catch (EngineUnavailable e) {
                // The claim lapses by itself (Acknowledgements: a first try holds it for a bounded time).
            }
        }
    }

    /** Sends the ack of a handled message, and keeps it for retries of its client id. */
    public void acknowledge(Connection connection, String kind, String cid, Object ack) {
        String json = FrameCodec.toJson(ack);
        if (cid != null) {
            try {
                acks.answer(connection.user(), kind + ":" + cid, json);
            } catch (EngineUnavailable e) {
                // Handled all the same: the client gets its ack; a retry waits until the claim lapses.
            }
        }
        connection.send(new Frame.Text(json));
    }
}

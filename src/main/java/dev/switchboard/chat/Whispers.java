package dev.switchboard.chat;

import dev.switchboard.engine.ChatMessage;
import dev.switchboard.engine.Delivery;
import dev.switchboard.engine.Inbox;
import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.EnvelopeCodec;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.security.Names;
import dev.switchboard.session.Connection;
import dev.switchboard.session.Frame;
import dev.switchboard.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.UUID;

/**
 * Private messages: to every connection of the recipient and the sender's other connections, or, when
 * the recipient has none, kept in the inbox until they connect. A user's (striped) lock orders a
 * whisper against their next connection emptying the inbox, so none falls between.
 */
@ApplicationScoped
public class Whispers {

    @Inject
    SessionRegistry registry;

    @Inject
    Delivery delivery;

    @Inject
    Inbox inbox;

    @Inject
    Replies replies;

    Clock clock = Clock.systemUTC();
    private final StripedLocks locks = new StripedLocks(256);

    /** A new connection of the user: whispers to them reach it from now on, then those kept while they were away. */
    void connected(Connection connection) {
        String user = connection.user();
        // Subscribed before the inbox is emptied (under the user's lock), so no whisper falls between.
        registry.subscribe(connection, Delivery.userTopic(user));
        synchronized (locks.of(user)) {
            for (ChatMessage whisper : inbox.takeAll(user)) {
                connection.send(new Frame.Text(EnvelopeCodec.encode(whisper.toEnvelope())));
            }
        }
    }

    void whisper(Connection connection, String to, String text, String cid) {
        if (!Names.isUser(to)) {
            replies.refuse(connection, Envelope.error(to == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_NAME,
                    "A whisper needs 'to': a user name of 1-32 letters, digits, '_', '-', '.'").withCid(cid));
            return;
        }
        if (!replies.hasText(connection, text, cid) || !replies.firstTry(connection, "whisper", cid)) {
            return;
        }
        if (!replies.withinRate(connection, null, cid)) {
            replies.letGo(connection, "whisper", cid);
            return;
        }
        String user = connection.user();
        ChatMessage whisper = new ChatMessage(UUID.randomUUID().toString(), null, 0, user, to, text, clock.millis());
        String json = EnvelopeCodec.encode(whisper.toEnvelope());
        boolean delivered;
        synchronized (locks.of(to)) {
            // Delivered means some connection of the recipient took it; otherwise it waits in the inbox.
            delivered = delivery.publish(Delivery.userTopic(to), json, to.equals(user) ? connection.id() : null) > 0;
            if (!delivered && !inbox.keep(whisper)) {
                replies.letGo(connection, "whisper", cid);
                replies.refuse(connection, Envelope.error(ErrorCode.INBOX_FULL,
                        "The server keeps as many whispers for offline users as it may; " + to + " is offline").withCid(cid));
                return;
            }
        }
        if (!to.equals(user)) {
            delivery.publish(Delivery.userTopic(user), json, connection.id());
        }
        replies.acknowledge(connection, "whisper", cid, Envelope.of(MessageType.ACK).withCid(cid).withId(whisper.id())
                .withTo(to).withStatus(delivered ? "delivered" : "stored"));
    }
}

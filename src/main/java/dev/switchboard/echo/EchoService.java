package dev.switchboard.echo;

import dev.switchboard.session.Frame;
import dev.switchboard.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;

/** Sends a frame back to the connection it came from, within the message size limit and inbound budget. */
@ApplicationScoped
public class EchoService {

    @Inject
    SessionRegistry registry;

    public void echo(Session session, Frame frame, long sizeInBytes) {
        registry.receive(session, sizeInBytes).ifPresent(connection -> connection.send(frame));
    }
}

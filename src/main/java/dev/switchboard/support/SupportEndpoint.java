package dev.switchboard.support;

import dev.switchboard.config.CdiEndpointConfigurator;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.security.VerifiedUser;
import dev.switchboard.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The desk's one endpoint for customers, agents and supervisors: the token's role decides what a
 * connection may do. A customer may resume with {@code ?conversation=&since=&epoch=}.
 */
@ServerEndpoint(value = SupportAccess.PATH, decoders = SupportFrames.class,
        subprotocols = "switchboard", configurator = CdiEndpointConfigurator.class)
public class SupportEndpoint {

    @Inject
    SupportService support;

    @Inject
    SessionRegistry registry;

    @OnOpen
    public void open(Session session) throws IOException {
        if (!(session.getUserPrincipal() instanceof VerifiedUser user)) {
            // Only reachable if a server skipped the handshake filter: refuse rather than trust the client.
            session.close(CloseCodes.reason(CloseCodes.POLICY_VIOLATION, "No verified identity"));
            return;
        }
        Map<String, List<String>> query = session.getRequestParameterMap();
        support.open(session, user, first(query.get("conversation")), first(query.get("since")), first(query.get("epoch")));
    }

    @OnMessage
    public void message(ClientFrame frame, Session session) {
        support.handle(session, frame);
    }

    @OnMessage
    public void binary(ByteBuffer data, Session session) {
        registry.find(session).ifPresent(connection -> connection.close(
                CloseCodes.reason(CloseCodes.UNSUPPORTED_DATA, "The desk takes text frames only")));
    }

    @OnMessage
    public void pong(PongMessage pong, Session session) {
        registry.pong(session, pong);
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        registry.unregister(session, reason);
    }

    @OnError
    public void error(Session session, Throwable error) {
        registry.failed(session, error);
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}

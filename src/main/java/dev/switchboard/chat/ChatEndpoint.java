package dev.switchboard.chat;

import dev.switchboard.config.CdiEndpointConfigurator;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.security.VerifiedUser;
import dev.switchboard.security.Names;
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
import java.security.Principal;
import java.util.List;
import java.util.Map;

/**
 * One connection carries all of a user's rooms and whispers. The handshake filter has checked the
 * token and origin; the user comes from the token, never from the client's frames.
 */
@ServerEndpoint(value = "/ws/chat", decoders = ChatFrameDecoder.class,
        subprotocols = "switchboard", configurator = CdiEndpointConfigurator.class)
public class ChatEndpoint {

    @Inject
    ChatService chat;

    @Inject
    SessionRegistry registry;

    private String defaultRoom = ChatService.DEFAULT_ROOM;
    private ConnectionRights rights = new ConnectionRights(Grants.NONE);

    @OnOpen
    public void open(Session session) throws IOException {
        Principal principal = session.getUserPrincipal();
        if (!(principal instanceof VerifiedUser user)) {
            // Only reachable if a server skipped the handshake filter: refuse rather than trust the client.
            session.close(CloseCodes.reason(CloseCodes.POLICY_VIOLATION, "No verified identity"));
            return;
        }
        String room = first(session.getRequestParameterMap().get("room"));
        if (room != null && Names.isRoom(room)) {
            defaultRoom = room;
        }
        Map<String, List<String>> query = session.getRequestParameterMap();
        rights = new ConnectionRights(user.claims());
        chat.open(session, user.name(), user.expiresAt(), rights, room, first(query.get("whispersSince")),
                first(query.get("whispersEpoch")));
    }

    @OnMessage
    public void message(ClientFrame frame, Session session) {
        chat.handle(session, frame, defaultRoom, rights);
    }

    @OnMessage
    public void binary(ByteBuffer data, Session session) {
        registry.find(session).ifPresent(connection -> connection.close(
                CloseCodes.reason(CloseCodes.UNSUPPORTED_DATA, "Chat takes text frames only")));
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

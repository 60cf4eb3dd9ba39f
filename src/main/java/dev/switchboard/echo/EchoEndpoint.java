package dev.switchboard.echo;

import dev.switchboard.config.CdiEndpointConfigurator;
import dev.switchboard.protocol.MessageSize;
import dev.switchboard.session.Channel;
import dev.switchboard.session.Frame;
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
import java.nio.ByteBuffer;

/** Echoes every text frame as the same text and every binary frame as the same bytes. */
@ServerEndpoint(value = "/ws/echo", configurator = CdiEndpointConfigurator.class)
public class EchoEndpoint {

    /** Echo's connections: raw frames, so a refused one gets no answer. */
    public static final Channel CHANNEL = new Channel("echo", false);

    @Inject
    SessionRegistry registry;

    @Inject
    EchoService echo;

    @OnOpen
    public void open(Session session) {
        registry.register(session, CHANNEL, null);
    }

    @OnMessage
    public void text(String text, Session session) {
        long size = MessageSize.utf8Length(text);
        echo.echo(session, new Frame.Text(text, size), size);
    }

    @OnMessage
    public void binary(ByteBuffer data, Session session) {
        // The container may reuse its buffer once we return, and the send is asynchronous: copy.
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
        echo.echo(session, new Frame.Binary(copy), copy.remaining());
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
}

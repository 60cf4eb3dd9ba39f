package dev.switchboard.clock;

import dev.switchboard.config.CdiEndpointConfigurator;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.SharedFrame;
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

/** Subscribes a connection to the clock: the current time at once, then a tick every second. */
@ServerEndpoint(value = "/ws/clock", decoders = ClockFrames.class,
        configurator = CdiEndpointConfigurator.class)
public class ClockEndpoint {

    @Inject
    SessionRegistry registry;

    @Inject
    ClockTicker ticker;

    @OnOpen
    public void open(Session session) {
        ticker.subscribe(session);
    }

    /** Clients may send {@code ping} ({@link ClockFrames} answers anything else with an error frame). */
    @OnMessage
    public void message(ClientFrame ping, Session session) {
        registry.receive(session, ping.receivedBytes())
                .ifPresent(connection -> connection.send(new Frame.Encoded(new SharedFrame.Pong(ping.cid()))));
    }

    /** The clock speaks JSON text only: a binary frame closes with 1003, on every server alike. */
    @OnMessage
    public void binary(ByteBuffer data, Session session) {
        registry.find(session).ifPresent(connection -> connection.close(
                CloseCodes.reason(CloseCodes.UNSUPPORTED_DATA, "The clock takes text frames only")));
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

package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;

/** A real WebSocket client (Tyrus) that keeps everything it receives in queues for the test to poll. */
public final class TestClient extends Endpoint implements AutoCloseable {

    public static final long WAIT_SECONDS = 10;
    private static final ClientManager CLIENTS = sharedClientManager();

    public final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    public final BlockingQueue<ByteBuffer> binaries = new LinkedBlockingQueue<>();
    public final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private volatile Session session;

    private static ClientManager sharedClientManager() {
        ClientManager manager = ClientManager.createClient();
        // One shared client container for hundreds of test connections, not a thread pool each.
        manager.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
        // Tyrus closes the shared transport once it has had no connection for its idle timeout (30 s),
        // checked by a timer that does not see connections still opening: between two test classes a
        // server restarts for about that long, and the first test's new connections were closed under
        // it ("The connection has been closed."). A day: never within a run.
        manager.getProperties().put(ClientProperties.SHARED_CONTAINER_IDLE_TIMEOUT, 86_400);
        manager.setDefaultMaxTextMessageBufferSize(4 * 1024 * 1024);
        manager.setDefaultMaxBinaryMessageBufferSize(4 * 1024 * 1024);
        return manager;
    }

    public static TestClient connect(URI uri) throws DeploymentException, IOException {
        return connect(uri, ClientEndpointConfig.Builder.create().build());
    }

    public static TestClient connect(URI uri, ClientEndpointConfig config) throws DeploymentException, IOException {
        TestClient client = new TestClient();
        try {
            client.session = CLIENTS.connectToServer(client, config, uri);
        } catch (DeploymentException failed) {
            if (failed.getMessage() == null || !failed.getMessage().contains("not received")) {
                throw failed; // a refusal the test may expect
            }
            // A stalled handshake, seen once in CI on Tomcat and never here: keep what every thread was doing.
            DeploymentException stalled = failed;
            throw new DeploymentException(stalled.getMessage() + " (" + uri.getPath() + "; "
                    + ThreadDump.write("handshake to " + uri + " failed: " + stalled.getMessage()) + ")", stalled);
        }
        return client;
    }

    /** The subprotocol the server chose, empty for none. */
    public String subprotocol() {
        return session.getNegotiatedSubprotocol();
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        session.setMaxTextMessageBufferSize(4 * 1024 * 1024);
        session.setMaxBinaryMessageBufferSize(4 * 1024 * 1024);
        session.addMessageHandler(String.class, texts::add);
        session.addMessageHandler(ByteBuffer.class, binaries::add);
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        closed.complete(closeReason);
    }

    @Override
    public void onError(Session session, Throwable error) {
        closed.completeExceptionally(error);
    }

    public void send(String text) throws IOException {
        try {
            session.getBasicRemote().sendText(text);
        } catch (IllegalStateException | IOException e) {
            throw new IOException("Sending failed; " + howClosed(), e);
        }
    }

    public void send(ByteBuffer data) throws IOException {
        try {
            session.getBasicRemote().sendBinary(data);
        } catch (IllegalStateException | IOException e) {
            throw new IOException("Sending failed; " + howClosed(), e);
        }
    }

    /** How the connection ended, as far as the client knows, for failure messages. */
    private String howClosed() {
        if (!closed.isDone()) {
            return "the client was not told of a close";
        }
        try {
            CloseReason reason = closed.getNow(null);
            return "closed with " + reason.getCloseCode().getCode() + " '" + reason.getReasonPhrase() + "'";
        } catch (RuntimeException failed) {
            return "the connection failed: " + failed.getCause();
        }
    }

    /** The next text frame, failing the test if none comes within the wait. */
    public String nextText() throws InterruptedException {
        String text = texts.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(text, "No text frame arrived within " + WAIT_SECONDS + " s");
        return text;
    }

    public ByteBuffer nextBinary() throws InterruptedException {
        ByteBuffer data = binaries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(data, "No binary frame arrived within " + WAIT_SECONDS + " s");
        return data;
    }

    /** How the server closed this connection, failing the test if it does not within the wait. */
    public CloseReason awaitClose() throws Exception {
        return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close() throws IOException {
        if (session.isOpen()) {
            session.close();
        }
    }
}

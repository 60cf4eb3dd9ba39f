package dev.switchboard.config;

import java.util.concurrent.Future;

/**
 * When to close the socket of an upgraded connection, as RFC 6455 §7.1.1 asks: the side that sends the
 * first close frame waits for the other's before it closes the TCP connection.
 *
 * <p>Tyrus closes the socket as soon as it has queued its close frame. When the server ends a connection
 * (4001 for a client too slow to read, 4000, 1001), that frame often waits behind data the client has not
 * read yet, and the container drops both: the client meets the end of the stream (or a reset) and never
 * learns why. So once the server has closed its side, the socket stays open, its input read and dropped,
 * until the client answers with its own close frame or ends its side, or the linger time has passed,
 * whichever comes first. A client that read up to our close frame has read everything before it; one
 * that reads nothing for the whole linger time is cut as before.
 */
final class LingeringClose {

    /** Runs a task once after some milliseconds (the work pool, after a delay). */
    @FunctionalInterface
    interface Later {
        Future<?> run(Runnable task, long millis);
    }

    private final Runnable closeSocket;
    private final long lingerMillis;
    private final Later later;

    private boolean serverClosed;
    private boolean clientClosed;
    private boolean socketClosed;
    private Future<?> deadline;

    LingeringClose(Runnable closeSocket, long lingerMillis, Later later) {
        this.closeSocket = closeSocket;
        this.lingerMillis = lingerMillis;
        this.later = later;
    }

    /** The engine has closed its side (its close frame is queued, or it answered the client's). */
    void serverClosed() {
        synchronized (this) {
            if (serverClosed) {
                return;
            }
            serverClosed = true;
            if (!clientClosed && lingerMillis > 0) {
                deadline = later.run(this::closeNow, lingerMillis);
                return;
            }
        }
        closeNow();
    }

    /** The client has sent its close frame, or ended its side of the connection. */
    void clientClosed() {
        synchronized (this) {
            if (clientClosed) {
                return;
            }
            clientClosed = true;
            if (!serverClosed) {
                return; // the engine answers it, then closes its side: the socket closes then
            }
        }
        closeNow();
    }

    /** The server has closed its side: what the client sends from now on is read and dropped. */
    synchronized boolean serverHasClosed() {
        return serverClosed;
    }

    private void closeNow() {
        Future<?> pending;
        synchronized (this) {
            if (socketClosed) {
                return;
            }
            socketClosed = true;
            pending = deadline;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        closeSocket.run();
    }
}

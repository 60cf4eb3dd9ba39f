package dev.switchboard.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A raw WebSocket client that notes the wall-clock time each frame arrived (pings included) and answers
 * every ping at once with its payload, as a browser does: for tests of when things arrive.
 */
public final class TimedFrames implements AutoCloseable {

    /** A frame as it arrived: when (epoch millis), its opcode, and its payload as text. */
    public record Arrival(long atMillis, int opcode, String text) {
        public boolean isPing() {
            return opcode == RawWebSocket.OP_PING;
        }
    }

    public final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
    private final RawWebSocket socket;
    private final Thread reader;
    private volatile boolean closing;

    private TimedFrames(RawWebSocket socket) {
        this.socket = socket;
        this.reader = new Thread(this::read, "timed-frames");
        reader.setDaemon(true);
        reader.start();
    }

    public static TimedFrames connect(URI ws) throws IOException {
        return new TimedFrames(RawWebSocket.connect(ws, 0));
    }

    private void read() {
        try {
            while (true) {
                RawWebSocket.Received frame = socket.read();
                arrivals.add(new Arrival(System.currentTimeMillis(), frame.opcode(),
                        new String(frame.payload(), StandardCharsets.UTF_8)));
                if (frame.opcode() == RawWebSocket.OP_PING) {
                    socket.send(RawWebSocket.OP_PONG, frame.payload());
                } else if (frame.opcode() == RawWebSocket.OP_CLOSE) {
                    return;
                }
            }
        } catch (IOException e) {
            if (!closing) {
                arrivals.add(new Arrival(System.currentTimeMillis(), -1, "connection lost: " + e));
            }
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        socket.close();
    }
}

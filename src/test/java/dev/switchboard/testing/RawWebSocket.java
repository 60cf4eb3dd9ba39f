package dev.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare WebSocket over a plain socket, for clients no library will play: one that never reads and
 * one that never answers pings. It does only what such a test needs: the handshake, masked frames out,
 * and reading frames in.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int OP_TEXT = 0x1;
    public static final int OP_CLOSE = 0x8;
    public static final int OP_PING = 0x9;
    public static final int OP_PONG = 0xA;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** One frame from the server. */
    public record Received(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    /** The body length of the handshake's answer, when it was a refusal. */
    private int contentLength;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Opens and upgrades a connection.
     *
     * @param receiveBuffer the socket's receive buffer in bytes, small for a client that must fall behind
     */
    public static RawWebSocket connect(URI ws, int receiveBuffer) throws IOException {
        return connect(ws, receiveBuffer, new byte[0]);
    }

    /**
     * Opens a connection and sends the upgrade request with a masked text frame right behind it, in one
     * write, as no browser does and attackers may: the frame is there before the server has upgraded.
     */
    public static RawWebSocket connectPipelined(URI ws, String firstText) throws IOException {
        return connect(ws, 0, frame(OP_TEXT, firstText.getBytes(StandardCharsets.UTF_8)));
    }

    /** As {@link #connectPipelined(URI, String)}, from a loopback address of the test's choosing (127.0.0.2 …). */
    public static RawWebSocket connectPipelined(URI ws, String firstText, String fromLoopback) throws IOException {
        return connect(ws, 0, frame(OP_TEXT, firstText.getBytes(StandardCharsets.UTF_8)), fromLoopback);
    }

    /** A handshake's outcome: the status, the body of a refusal, and the connection when it was upgraded. */
    public record Attempt(int status, String body, RawWebSocket connection) {
    }

    /**
     * Tries to open a connection from a loopback address of the test's choosing, so that tests can be
     * several clients' addresses at once; a refusal is answered, not thrown.
     */
    public static Attempt attemptFrom(URI ws, String fromLoopback) throws IOException {
        Socket socket = open(ws, 0, fromLoopback);
        RawWebSocket raw = new RawWebSocket(socket);
        String status = raw.sendHandshake(ws, new byte[0]);
        int code = Integer.parseInt(status.split(" ")[1]);
        if (code == 101) {
            return new Attempt(code, "", raw);
        }
        String body = new String(raw.in.readNBytes(raw.contentLength), StandardCharsets.UTF_8);
        socket.close();
        return new Attempt(code, body, null);
    }

    private static RawWebSocket connect(URI ws, int receiveBuffer, byte[] pipelined) throws IOException {
        return connect(ws, receiveBuffer, pipelined, null);
    }

    private static RawWebSocket connect(URI ws, int receiveBuffer, byte[] pipelined, String fromLoopback) throws IOException {
        RawWebSocket raw = new RawWebSocket(open(ws, receiveBuffer, fromLoopback));
        raw.handshake(ws, pipelined);
        return raw;
    }

    private static Socket open(URI ws, int receiveBuffer, String fromLoopback) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        String host = ws.getHost();
        if (fromLoopback != null) {
            socket.bind(new java.net.InetSocketAddress(fromLoopback, 0));
            host = "127.0.0.1"; // IPv4 to IPv4: the server sees the chosen address
        }
        socket.connect(new java.net.InetSocketAddress(host, ws.getPort()), 10_000);
        socket.setSoTimeout(15_000);
        return socket;
    }

    /** The status a WebSocket handshake gets (101 when accepted), sent with the given extra headers. */
    public static int handshakeStatus(URI ws, java.util.Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new java.net.InetSocketAddress(ws.getHost(), ws.getPort()), 10_000);
            socket.setSoTimeout(15_000);
            StringBuilder request = new StringBuilder("GET " + ws.getRawPath()
                    + (ws.getRawQuery() == null ? "" : "?" + ws.getRawQuery()) + " HTTP/1.1\r\n"
                    + "Host: " + ws.getHost() + ":" + ws.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            String status = readHeaders(socket.getInputStream());
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    private void handshake(URI ws, byte[] pipelined) throws IOException {
        String status = sendHandshake(ws, pipelined);
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("Upgrade refused: " + status);
        }
    }

    /** Sends the upgrade request (and any bytes right behind it); the status line that came back. */
    private String sendHandshake(URI ws, byte[] pipelined) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + ws.getRawPath() + (ws.getRawQuery() == null ? "" : "?" + ws.getRawQuery()) + " HTTP/1.1\r\n"
                + "Host: " + ws.getHost() + ":" + ws.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(request.getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(pipelined);
        out.write(bytes.toByteArray());
        out.flush();
        String head = readHead(in);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
        contentLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return head.substring(0, head.indexOf("\r\n"));
    }

    private static String readHeaders(InputStream in) throws IOException {
        String head = readHead(in);
        return head.substring(0, head.indexOf("\r\n"));
    }

    /** The status line and headers of an HTTP answer, up to the blank line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int lastFour = 0;
        while (lastFour != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("Connection closed during the handshake");
            }
            head.write(b);
            lastFour = (lastFour << 8) | b;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Sends one masked frame, as clients must. */
    public void send(int opcode, byte[] payload) throws IOException {
        out.write(frame(opcode, payload));
        out.flush();
    }

    private static byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /** Sends a masked frame's header declaring {@code length} bytes, and none of its payload. */
    public void sendHeaderOnly(int opcode, long length) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream(14);
        header.write(0x80 | opcode);
        header.write(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
            header.write((int) (length >>> shift) & 0xff);
        }
        header.writeBytes(new byte[4]); // a zero mask: the payload goes as it is
        out.write(header.toByteArray());
        out.flush();
    }

    /** Sends bytes as they are, such as part of a payload after {@link #sendHeaderOnly}. */
    public void sendRawBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a small frame without a mask, which RFC 6455 forbids clients. */
    public void sendUnmasked(int opcode, byte[] payload) throws IOException {
        if (payload.length > 125) {
            throw new IllegalArgumentException("small frames only");
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        frame.write(payload.length);
        frame.writeBytes(payload);
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Reads the next whole frame from the server (server frames are never masked). */
    public Received read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Received(b0 & 0x0f, payload);
    }

    /** Reads frames until the server's close frame, skipping pings and data. */
    public Received readUntilClose() throws IOException {
        while (true) {
            Received frame = read();
            if (frame.opcode() == OP_CLOSE) {
                return frame;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package dev.switchboard.config;

import java.nio.charset.StandardCharsets;

/**
 * Watches the bytes a WebSocket client sends, frame header by frame header, before the engine parses them.
 * A data frame whose declared length (or whose message's running total) exceeds the limit, or any unmasked
 * frame, is refused once its header is complete: the header is withheld, a masked close frame (1009 or
 * 1002) is handed to the engine in its place as though the client had sent it, and every later byte is
 * dropped. The engine then runs its own close: @OnClose with that code, the same code sent back.
 *
 * <p>The engine closes the socket as soon as it has answered that close. Bytes of the refused frame
 * still unread at that moment make the kernel reset the connection, and a browser that gets the reset
 * first never sees the 1009 (seen: 1006 for a 70 KB message, and for a 5 MB one sent whole before reading).
 * So an oversized frame of at most {@value #DISCARDED_AT_MOST} bytes, as a careless client sends (a file
 * pasted into a chat), is read to its end and dropped before the close is handed over; a larger one, as an
 * attacker declares, is refused at its header.
 */
final class FrameGuard {

    private final long limit;
    private final byte[] header = new byte[14];
    private int headerHave;
    private long payloadLeft;          // bytes of the current frame's payload still to pass
    private long messageTotal;         // declared bytes of the current (fragmented) data message so far
    private boolean refused;
    private boolean clientClosed;
    /** The current frame's payload is being dropped; the close follows its last byte. */
    private boolean discarding;
    static final long DISCARDED_AT_MOST = 8 * 1024 * 1024;

    FrameGuard(long limit) {
        this.limit = limit;
    }

    boolean refused() {
        return refused;
    }

    /** The client has sent its close frame (its header has passed): it reads no more of what we send. */
    boolean clientClosed() {
        return clientClosed;
    }

    /** Bytes {@link #filter} may add to its input: a header held back from earlier reads, and a close frame. */
    static final int MOST_ADDED = 13 + 8 + 123;

    private byte[] out;
    private int outPos;

    /**
     * Filters in[off, off+len) and writes what the engine may see to out, from 0; returns how many
     * bytes that is. {@code out} has room for {@code len + }{@link #MOST_ADDED}.
     */
    int filter(byte[] in, int off, int len, byte[] out) {
        this.out = out;
        this.outPos = 0;
        filter(in, off, len);
        this.out = null;
        return outPos;
    }

    private void filter(byte[] in, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && !refused) {
            if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, end - i);
                if (!discarding) {
                    emit(in, i, n);
                }
                i += n;
                payloadLeft -= n;
                if (discarding && payloadLeft == 0) {
                    refuse(1009, "Message larger than " + limit + " bytes");
                }
                continue;
            }
            header[headerHave++] = in[i++];
            int need = headerLength();
            if (need < 0 || headerHave < need) {
                continue;
            }
            // the header is complete
            boolean fin = (header[0] & 0x80) != 0;
            int opcode = header[0] & 0x0F;
            boolean masked = (header[1] & 0x80) != 0;
            long length = declaredLength();
            headerHave = 0;
            if (!masked) {
                refuse(1002, "Client frames must be masked");
                return;
            }
            if (opcode == 8) {
                clientClosed = true;
            }
            if (opcode <= 2) { // continuation, text, binary
                messageTotal = opcode == 0 ? messageTotal + length : length;
                if (length < 0 || messageTotal > limit) {
                    if (length > 0 && length <= DISCARDED_AT_MOST) {
                        discarding = true;
                        payloadLeft = length;
                        continue;
                    }
                    refuse(1009, "Message larger than " + limit + " bytes");
                    return;
                }
                if (fin) {
                    messageTotal = 0;
                }
            }
            emit(header, 0, need);
            payloadLeft = length;
        }
    }

    /** Header size once known (2 bytes seen), else -1. */
    private int headerLength() {
        if (headerHave < 2) {
            return -1;
        }
        int code = header[1] & 0x7F;
        int ext = code == 126 ? 2 : code == 127 ? 8 : 0;
        return 2 + ext + ((header[1] & 0x80) != 0 ? 4 : 0);
    }

    private long declaredLength() {
        int code = header[1] & 0x7F;
        if (code < 126) {
            return code;
        }
        int n = code == 126 ? 2 : 8;
        long v = 0;
        for (int k = 0; k < n; k++) {
            v = (v << 8) | (header[2 + k] & 0xFF);
        }
        return v; // negative when the top bit is set: refused as too big
    }

    private void refuse(int code, String reason) {
        refused = true;
        byte[] why = reason.getBytes(StandardCharsets.UTF_8);
        byte[] close = {
            (byte) 0x88,                     // FIN + close
            (byte) (0x80 | (2 + why.length)), // masked, length < 126
            0, 0, 0, 0,                      // masking key 0: the payload goes as it is
            (byte) (code >> 8), (byte) code};
        emit(close, 0, close.length);
        emit(why, 0, why.length);
    }

    private void emit(byte[] bytes, int from, int count) {
        System.arraycopy(bytes, from, out, outPos, count);
        outPos += count;
    }
}

package dev.switchboard.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Watches the bytes a WebSocket client sends, frame header by frame header, before the engine parses them.
 * A data frame whose declared length (or whose message's running total) exceeds the limit, or any unmasked
 * frame, is refused the moment its header is complete: the header is withheld, a masked close frame
 * (1009 or 1002) is handed to the engine in its place as though the client had sent it, and every later
 * byte is dropped. The engine then runs its own close: @OnClose with that code, the same code sent back.
 */
final class FrameGuard {

    private final long limit;
    private final byte[] header = new byte[14];
    private int headerHave;
    private long payloadLeft;          // bytes of the current frame's payload still to pass
    private long messageTotal;         // declared bytes of the current (fragmented) data message so far
    private boolean refused;
    private int refusedCode;

    FrameGuard(long limit) {
        this.limit = limit;
    }

    boolean refused() {
        return refused;
    }

    int refusedCode() {
        return refusedCode;
    }

    /** Filters in[off, off+len) and appends what the engine may see to out. */
    void filter(byte[] in, int off, int len, ByteArrayOutputStream out) {
        int i = off;
        int end = off + len;
        while (i < end && !refused) {
            if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, end - i);
                out.write(in, i, n);
                i += n;
                payloadLeft -= n;
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
                refuse(1002, "Client frames must be masked", out);
                return;
            }
            if (opcode <= 2) { // continuation, text, binary
                messageTotal = opcode == 0 ? messageTotal + length : length;
                if (length < 0 || messageTotal > limit) {
                    refuse(1009, "Message larger than " + limit + " bytes", out);
                    return;
                }
                if (fin) {
                    messageTotal = 0;
                }
            }
            out.write(header, 0, need);
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

    private void refuse(int code, String reason, ByteArrayOutputStream out) {
        refused = true;
        refusedCode = code;
        byte[] why = reason.getBytes(StandardCharsets.UTF_8);
        out.write(0x88);               // FIN + close
        out.write(0x80 | (2 + why.length)); // masked, length < 126
        out.write(0); out.write(0); out.write(0); out.write(0); // masking key 0: payload as is
        out.write(code >> 8);
        out.write(code & 0xFF);
        out.write(why, 0, why.length);
    }
}

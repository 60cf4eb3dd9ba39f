package dev.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class FrameGuardTest {

    private static final int LIMIT = 65_536;

    /** A masked (zero mask) client frame header declaring the length. */
    private static byte[] header(int opcode, long length, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | opcode);
        int mask = masked ? 0x80 : 0;
        if (length < 126) {
            out.write(mask | (int) length);
        } else {
            out.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (length >>> shift) & 0xff);
            }
        }
        if (masked) {
            out.writeBytes(new byte[4]);
        }
        return out.toByteArray();
    }

    /** What the engine sees of these bytes. */
    private static byte[] filter(FrameGuard guard, byte[] bytes) {
        byte[] out = new byte[bytes.length + FrameGuard.MOST_ADDED];
        return java.util.Arrays.copyOf(out, guard.filter(bytes, 0, bytes.length, out));
    }

    private static int closeCode(byte[] engineSees) {
        assertEquals(0x88, engineSees[0] & 0xff, "a close frame");
        return ((engineSees[6] & 0xff) << 8) | (engineSees[7] & 0xff);
    }

    @Test
    void framesWithinTheLimitPassUnchanged() {
        FrameGuard guard = new FrameGuard(LIMIT);
        byte[] frame = concat(header(1, 5, true), "hello".getBytes());
        assertArrayEquals(frame, filter(guard, frame));
        assertFalse(guard.refused());
    }

    @Test
    void theClientsCloseFrameIsNoticedAndPassesUnchanged() {
        FrameGuard guard = new FrameGuard(LIMIT);
        byte[] ping = header(9, 0, true);
        assertArrayEquals(ping, filter(guard, ping));
        assertFalse(guard.clientClosed(), "a ping is not a close");
        byte[] close = concat(header(8, 2, true), new byte[] {3, (byte) 0xe8});
        assertArrayEquals(close, filter(guard, close));
        assertTrue(guard.clientClosed());
    }

    @Test
    void aHugeDeclaredFrameIsRefusedAtItsHeader() {
        FrameGuard guard = new FrameGuard(LIMIT);
        byte[] seen = filter(guard, header(1, 16L * 1024 * 1024, true));
        assertTrue(guard.refused());
        assertEquals(1009, closeCode(seen));
    }

    @Test
    void aModestlyOversizedFrameIsReadToItsEndThenRefused() {
        FrameGuard guard = new FrameGuard(LIMIT);
        assertEquals(0, filter(guard, header(1, 70_000, true)).length);
        assertEquals(0, filter(guard, new byte[69_999]).length, "nothing of it reaches the engine, and no close yet");
        assertFalse(guard.refused());
        byte[] seen = filter(guard, new byte[] {'x', 'y'});
        assertTrue(guard.refused(), "its last byte read, the close follows");
        assertEquals(1009, closeCode(seen));
    }

    @Test
    void anUnmaskedFrameIsRefusedWith1002() {
        FrameGuard guard = new FrameGuard(LIMIT);
        assertEquals(1002, closeCode(filter(guard, concat(header(1, 2, false), "hi".getBytes()))));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}

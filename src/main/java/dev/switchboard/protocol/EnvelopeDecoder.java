package dev.switchboard.protocol;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;

/**
 * WebSocket decoder for client envelopes. Bad input raises a {@link DecodeException} whose cause is
 * the {@link ProtocolViolation}; the endpoint's error handler answers it with an error frame.
 */
public class EnvelopeDecoder implements Decoder.Text<Envelope> {

    @Override
    public Envelope decode(String text) throws DecodeException {
        try {
            Envelope envelope = FrameCodec.decode(text);
            envelope.setReceivedBytes(MessageSize.utf8Length(text));
            return envelope;
        } catch (ProtocolViolation violation) {
            throw new DecodeException(text, violation.getMessage(), violation);
        }
    }

    /** Every text frame is decoded, so that bad ones are answered rather than ignored. */
    @Override
    public boolean willDecode(String text) {
        return true;
    }
}

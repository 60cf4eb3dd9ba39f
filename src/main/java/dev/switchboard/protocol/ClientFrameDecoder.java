package dev.switchboard.protocol;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;

/**
 * WebSocket decoder for an endpoint whose frames a {@link FrameSchema} describes. Bad input raises a
 * {@link DecodeException} whose cause is the {@link ProtocolViolation}, answered with an error frame
 * as on every endpoint.
 */
public abstract class ClientFrameDecoder implements Decoder.Text<ClientFrame> {

    /** The frames the endpoint takes. */
    protected abstract FrameSchema schema();

    @Override
    public ClientFrame decode(String text) throws DecodeException {
        try {
            return FrameCodec.decode(text, schema());
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

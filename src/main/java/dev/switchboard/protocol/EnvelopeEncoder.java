package dev.switchboard.protocol;

import jakarta.websocket.Encoder;

/** WebSocket encoder for envelopes sent to one connection (replies, errors). */
public class EnvelopeEncoder implements Encoder.Text<Envelope> {

    @Override
    public String encode(Envelope envelope) {
        return FrameCodec.toJson(envelope);
    }
}

package dev.switchboard.protocol;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * The one JSON message shape: a {@code type} and the fields that type uses. Absent fields are
 * left out of the JSON. Later features add their fields here, so every frame stays one shape.
 */
@JsonbPropertyOrder({"type", "code", "message"})
public class Envelope {

    private String type;
    private String code;
    private String message;

    public Envelope() {
        // for JSON-B
    }

    public static Envelope of(MessageType type) {
        Envelope e = new Envelope();
        e.type = type.wireName();
        return e;
    }

    public static Envelope error(ErrorCode code, String message) {
        Envelope e = of(MessageType.ERROR);
        e.code = code.wireName();
        e.message = message;
        return e;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getCode() {
        return code;
    }

    public void setCode(String code) {
        this.code = code;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    @Override
    public String toString() {
        return EnvelopeCodec.encode(this);
    }
}

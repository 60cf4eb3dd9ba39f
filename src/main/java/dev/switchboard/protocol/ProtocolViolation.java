package dev.switchboard.protocol;

/** A client frame that breaks the protocol, with the error code its answer carries. */
public class ProtocolViolation extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ProtocolViolation(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** The error envelope that answers this violation. */
    public Envelope toEnvelope() {
        return Envelope.error(code, getMessage());
    }
}

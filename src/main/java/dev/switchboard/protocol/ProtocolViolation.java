package dev.switchboard.protocol;

/** A client frame that breaks the protocol, with the error code its answer carries. */
public class ProtocolViolation extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    /** The refused frame's client id, when it had one, so the client can match the answer. */
    private String cid;

    public ProtocolViolation(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    ProtocolViolation withCid(String cid) {
        this.cid = cid;
        return this;
    }

    /** The error frame that answers this violation. */
    public SharedFrame.Error toFrame() {
        return SharedFrame.Error.of(code, getMessage()).withCid(cid);
    }
}

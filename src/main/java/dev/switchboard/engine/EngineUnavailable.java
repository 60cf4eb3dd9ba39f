package dev.switchboard.engine;

/** The engine's store cannot be reached (Redis down or cut off): nothing was done. */
public final class EngineUnavailable extends RuntimeException {

    public EngineUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}

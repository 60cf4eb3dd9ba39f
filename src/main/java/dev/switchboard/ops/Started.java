package dev.switchboard.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

/** Whether every application-scoped part has started (the engine connected, the timers running): the first readiness check. */
@ApplicationScoped
public class Started {

    private volatile boolean done;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        done = true;
    }

    public boolean done() {
        return done;
    }
}

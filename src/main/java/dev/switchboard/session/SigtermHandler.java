package dev.switchboard.session;

import java.util.logging.Level;
import java.util.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs a task on SIGTERM before the JVM's own handling (its shutdown hooks), then hands the signal on.
 * Kept apart from {@link SigtermListener} so that a server that hides {@code sun.misc} fails to load this
 * class only, not the listener (WildFly shows it through WEB-INF/jboss-deployment-structure.xml).
 */
final class SigtermHandler {

    private static final Logger LOG = Logger.getLogger(SigtermHandler.class.getName());
    private static final Signal TERM = new Signal("TERM");

    private final SignalHandler replaced;

    private SigtermHandler(SignalHandler replaced) {
        this.replaced = replaced;
    }

    /** Installs the handler; {@link #uninstall()} puts back the one it replaced. */
    static SigtermHandler install(Runnable beforeShutdown) {
        ClassLoader application = Thread.currentThread().getContextClassLoader();
        SignalHandler[] previous = new SignalHandler[1];
        previous[0] = Signal.handle(TERM, signal -> {
            // The JVM's signal thread has no context class loader; the container's code needs ours.
            Thread.currentThread().setContextClassLoader(application);
            try {
                beforeShutdown.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The task before shutdown failed", e);
            } finally {
                if (previous[0] != null) {
                    previous[0].handle(signal);
                } else {
                    Runtime.getRuntime().exit(128 + signal.getNumber()); // came before install returned
                }
            }
        });
        return new SigtermHandler(previous[0]);
    }

    void uninstall() {
        Signal.handle(TERM, replaced);
    }
}

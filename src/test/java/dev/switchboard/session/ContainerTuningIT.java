package dev.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.InServerTest;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.Test;

/** What Switchboard changes in each WebSocket container so that a frame stays cheap. */
class ContainerTuningIT extends InServerTest {

    @Test
    void tyrusArmsItsPerFrameIdleTimersOnAPlainSchedulerNeverOnTheManagedOne() throws Exception {
        // On Payara the managed scheduler captures the thread context by scanning the class path: done
        // for every frame in and out, it took 80 % of the server's CPU (TyrusIdleTimerScheduler).
        String scheduler = server.probe().getString("tyrusScheduler");
        assertTrue(Set.of("none", ScheduledThreadPoolExecutor.class.getName()).contains(scheduler),
                "Tyrus schedules its idle timers on " + scheduler);
    }
}

package dev.switchboard.support;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Presence;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the desk does as time passes, run every second on every node, on the work pool (the store lets one node's change
 * win and the others find nothing left to do): it matches agents and customers with presence (so a dead
 * node's people are gone within its lease), moves offers nobody answered to the next agent, rescues the
 * conversations of agents gone past the grace, closes those whose customer left the queue, and shows
 * this node's connections the desk (waits move with the clock).
 */
@ApplicationScoped
public class DeskTicker {

    private static final Logger LOG = Logger.getLogger(DeskTicker.class.getName());
    static final long TICK_MILLIS = 1000;
    /** Presence entries read per room each tick: the most agents and waiting customers a desk is built for. */
    static final int MOST_PRESENT = 100_000;

    @Inject
    DeskStore store;

    @Inject
    DeskViews views;

    @Inject
    ConversationFrames conversations;

    @Inject
    Presence presence;

    @Inject
    ServerExecutors executors;

    @Inject
    SwitchboardConfig config;

    @Inject
    DeskClock time;

    @Inject
    DeskEvents events;

    /** What a round did that is told beyond the desk: conversations abandoned, customers who waited long. */
    private record Round(List<Desk.Closed> abandoned, List<Desk.Conversation> waiting) {
    }

    private ScheduledFuture<?> ticking;
    private long waitingLong;
    private long offerTimeout;
    private long agentGrace;
    private long customerGrace;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        readSettings();
        ticking = executors.every("A desk round", this::tick, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void readSettings() {
        offerTimeout = config.duration(Setting.SUPPORT_OFFER_TIMEOUT).toMillis();
        agentGrace = config.duration(Setting.SUPPORT_AGENT_GRACE).toMillis();
        customerGrace = config.duration(Setting.SUPPORT_CUSTOMER_GRACE).toMillis();
        waitingLong = config.duration(Setting.WEBHOOKS_QUEUE_WAITING).toMillis();
    }

    void tick() {
        try {
            long seenAt = time.now(); // before the lists: whoever a connection told the desk of since is newer news
            Set<String> agents = new HashSet<>(presence.members(SupportService.AGENTS_HERE, MOST_PRESENT));
            Set<String> customers = new HashSet<>(presence.members(SupportService.CUSTOMERS_HERE, MOST_PRESENT));
            long now = time.now();
            boolean reportWaits = events.reportsWaits();
            DeskStore.Changed<Round> changed = store.change(desk -> {
                desk.reconcile(agents, customers, seenAt, now);
                desk.lapseOffers(now, offerTimeout);
                desk.rescue(now, agentGrace);
                List<Desk.Closed> abandoned = desk.abandon(now, customerGrace, time.zone());
                desk.assign(now);
                return new Round(abandoned, reportWaits ? desk.waitingLong(now, waitingLong) : List.of());
            });
            for (Desk.Closed abandoned : changed.result().abandoned()) {
                conversations.recordClosed(abandoned, "desk");
            }
            for (Desk.Conversation waiting : changed.result().waiting()) {
                events.waiting(waiting, now);
            }
            views.show(changed.after());
        } catch (EngineUnavailable e) {
            // Any other failure is logged by the work pool's round, and the next round runs as usual.
            LOG.log(Level.FINE, "A desk round could not reach the engine: {0}", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        if (ticking != null) {
            ticking.cancel(false);
        }
    }
}

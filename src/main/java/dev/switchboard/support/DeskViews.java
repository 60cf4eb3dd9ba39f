package dev.switchboard.support;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.security.Role;
import dev.switchboard.session.Connection;
import dev.switchboard.session.ConnectionClosed;
import dev.switchboard.session.Frame;
import dev.switchboard.stream.Streams;
import dev.switchboard.support.Desk.State;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What this node's desk connections see, kept up with the desk: a customer gets the {@code status} of
 * their conversation (place in the queue and the wait, or their agent); an agent gets the {@code desk}
 * (the queue, their conversations, the other agents; a supervisor also every open conversation and
 * the day's figures) and follows the transcript of every conversation offered to them or theirs.
 * Whenever the desk changes, on any node, each connection is sent what changed for it, and only that.
 */
@ApplicationScoped
public class DeskViews {

    private static final Logger LOG = Logger.getLogger(DeskViews.class.getName());
    /** How soon after a signal the desk is read again: signals that come together are read once. */
    private static final long COALESCE_MILLIS = 20;

    /** A desk connection of this node: who it is, what it was last sent, which transcripts it follows. */
    static final class Participant {
        final Connection connection;
        final Role role;
        final String user;
        final String displayName;
        final String email;
        /** The last view sent, so the same one is not sent again. */
        String lastView;
        /** Conversations whose transcript it follows. */
        final Set<String> following = ConcurrentHashMap.newKeySet();

        Participant(Connection connection, Role role, String user, String displayName, String email) {
            this.connection = connection;
            this.role = role;
            this.user = user;
            this.displayName = displayName;
            this.email = email;
        }
    }

    @Inject
    DeskStore store;

    @Inject
    Transcripts transcripts;

    @Inject
    Streams streams;

    @Inject
    ServerExecutors executors;

    @Inject
    SwitchboardConfig config;

    private final Map<String, Participant> here = new ConcurrentHashMap<>();
    private volatile DeskStore.Versioned latest = new DeskStore.Versioned(new Desk(), -1);
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private long usualHandleMillis;

    @PostConstruct
    void listen() {
        usualHandleMillis = config.duration(Setting.SUPPORT_HANDLE_TIME).toMillis();
        streams.hear(DeskStore.TOPIC, new Streams.TopicListener() {
            @Override
            public void signal(String version) {
                if (parse(version) > latest.version()) {
                    refreshSoon();
                }
            }

            @Override
            public void mayHaveMissed() {
                refreshSoon();
            }
        });
    }

    private static long parse(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The desk as this node last saw it: good for reading, never for deciding a change (the store decides). */
    DeskStore.Versioned latest() {
        return latest;
    }

    void add(Participant participant) {
        here.put(participant.connection.id(), participant);
    }

    Participant participant(Connection connection) {
        return here.get(connection.id());
    }

    /** Customers and agents with a connection on this node. */
    List<Participant> participants() {
        return List.copyOf(here.values());
    }

    void connectionClosed(@Observes ConnectionClosed closed) {
        here.remove(closed.connection().id());
    }

    /** Reads the desk again shortly, once however many signals come meanwhile. */
    void refreshSoon() {
        if (!refreshPending.compareAndSet(false, true)) {
            return;
        }
        try {
            executors.later(() -> {
                refreshPending.set(false);
                refresh();
            }, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            refreshPending.set(false);
        }
    }

    /** Reads the desk and shows it. */
    void refresh() {
        try {
            show(store.read());
        } catch (EngineUnavailable e) {
            LOG.log(Level.FINE, "Reading the desk failed: {0}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Showing the desk failed", e);
        }
    }

    /** Shows this version of the desk (if it is newer than the one shown) to every desk connection here. */
    synchronized void show(DeskStore.Versioned desk) {
        if (desk.version() < latest.version()) {
            return;
        }
        latest = desk;
        for (Participant p : here.values()) {
            String view = p.role == Role.CUSTOMER ? customerView(desk.desk(), p) : staffView(desk.desk(), p);
            if (view != null && !view.equals(p.lastView)) {
                p.lastView = view;
                p.connection.send(new Frame.Text(view));
            }
            if (p.role.isStaff()) {
                followWhatIsTheirs(desk.desk(), p);
            }
        }
    }

    /** A customer's view: their open conversation's state, place and wait; null when they have none open. */
    String customerView(Desk desk, Participant p) {
        List<Desk.Conversation> mine = desk.conversationsOf(p.user);
        if (mine.isEmpty()) {
            return null;
        }
        Desk.Conversation c = mine.get(0);
        Integer position = desk.position(c.id).orElse(null);
        WaitEstimate wait = position == null ? null
                : WaitEstimate.of(position, desk.seats(c.department), desk.handleMillis, usualHandleMillis).orElse(null);
        return FrameCodec.toJson(new DeskFrame.Status(c.id, c.state.name().toLowerCase(), position,
                wait == null ? null : wait.lowSeconds(), wait == null ? null : wait.highSeconds(),
                c.state == State.OFFERED || c.state == State.ACTIVE ? c.agent : null,
                desk.agents.values().stream().filter(a -> a.online).count()));
    }

    /** An agent's (or supervisor's) view of the desk. */
    String staffView(Desk desk, Participant p) {
        Desk.Agent me = desk.agents.get(p.user);
        List<Line> queue = new ArrayList<>();
        List<Line> messages = new ArrayList<>();
        List<Line> mine = new ArrayList<>();
        List<Line> all = new ArrayList<>();
        for (String id : desk.queue) {
            queue.add(line(desk, desk.conversations.get(id)));
        }
        for (Desk.Conversation c : desk.conversations.values()) {
            if (c.state == State.MESSAGE) {
                messages.add(line(desk, c));
            } else if (p.user.equals(c.agent)) {
                mine.add(line(desk, c));
            }
            if (p.role == Role.SUPERVISOR) {
                all.add(line(desk, c));
            }
        }
        List<AgentLine> agents = desk.agents.entrySet().stream().map(e -> new AgentLine(e.getKey(),
                e.getValue().status.name().toLowerCase(), e.getValue().online, desk.load(e.getKey()),
                e.getValue().capacity)).toList();
        Figures today = p.role == Role.SUPERVISOR ? Figures.of(desk.today) : null;
        return FrameCodec.toJson(new DeskFrame.StaffView(me == null ? "away" : me.status.name().toLowerCase(),
                me == null ? 0 : me.capacity, desk.load(p.user), queue, messages, mine, agents,
                p.role == Role.SUPERVISOR ? all : null, today));
    }

    private static Line line(Desk desk, Desk.Conversation c) {
        return new Line(c.id, c.customerName, c.email, c.department, c.state.name().toLowerCase(), c.agent,
                desk.position(c.id).orElse(null), c.queuedAt, c.offeredAt, c.answeredAt, c.customerGoneSince == 0);
    }

    /** A conversation as staff see it in the desk's lists. */
    public record Line(String conversation, String customerName, String email, String department, String state, String agent,
            Integer position, long queuedAt, long offeredAt, long answeredAt, boolean customerHere) {
    }

    /** An agent as the desk lists them. */
    public record AgentLine(String name, String status, boolean online, int load, int capacity) {
    }

    /** The day's figures as a supervisor sees them. */
    public record Figures(String day, int waited, int answered, int abandoned, Long averageWaitSeconds,
            Long averageHandleSeconds, Double csat, int ratings) {
        static Figures of(Desk.Figures f) {
            return new Figures(f.day, f.waited, f.answered, f.abandoned,
                    f.answered == 0 ? null : f.waitMillisTotal / f.answered / 1000,
                    f.handled == 0 ? null : f.handleMillisTotal / f.handled / 1000,
                    f.ratings == 0 ? null : Math.round(10.0 * f.ratingTotal / f.ratings) / 10.0, f.ratings);
        }
    }

    /**
     * An agent follows the transcripts of the conversations offered to them or theirs, and stops following
     * those that went elsewhere (told with {@code released}).
     */
    private void followWhatIsTheirs(Desk desk, Participant p) {
        Set<String> wanted = new HashSet<>();
        for (Desk.Conversation c : desk.conversations.values()) {
            if (p.user.equals(c.agent) && (c.state == State.OFFERED || c.state == State.ACTIVE)) {
                wanted.add(c.id);
            }
        }
        for (String id : wanted) {
            if (p.following.add(id)) {
                transcripts.follow(p.connection, id, null, null).whenComplete((followed, failure) -> {
                    if (failure != null) {
                        p.following.remove(id); // the next view tries again
                    }
                });
            }
        }
        for (String id : List.copyOf(p.following)) {
            if (!wanted.contains(id)) {
                p.following.remove(id);
                transcripts.unfollow(p.connection, id);
                p.connection.send(new Frame.Encoded(new DeskFrame.Released(id)));
            }
        }
    }
}

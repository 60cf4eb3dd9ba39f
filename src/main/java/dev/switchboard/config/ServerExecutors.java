package dev.switchboard.config;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Where Switchboard's own work runs: a <em>timer</em> that only times (the server's default
 * ManagedScheduledExecutorService, or two threads of our own where a server has none, as plain Tomcat),
 * and a bounded <em>work pool</em> for whatever may block (engine calls that wait on Redis, closing a
 * socket, cleaning up after a connection). Work that is due later or periodically is timed by the timer
 * and handed to the pool, so a slow or stopped Redis never delays a clock tick or a heartbeat.
 */
@ApplicationScoped
public class ServerExecutors {

    static final String DEFAULT_MANAGED_SCHEDULER = "java:comp/DefaultManagedScheduledExecutorService";
    static final String DEFAULT_MANAGED_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";
    /** Threads of the work pool: enough for several engine calls to wait out their timeout at once. */
    static final int WORK_THREADS = 8;
    /**
     * Tasks that may wait for a work thread. Each connection queues at most a few (its close, its clean-up),
     * so this bounds a burst of 20,000 connections going at once; past it, the caller runs the task itself.
     */
    static final int WORK_QUEUE = 100_000;
    private static final Logger LOG = Logger.getLogger(ServerExecutors.class.getName());

    private ScheduledExecutorService timer;
    private boolean ownTimer;
    private ThreadPoolExecutor work;

    /** Looks both up while the application starts, on a thread that sees the server's naming context. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        timer();
        work();
    }

    /** The timer: for tasks that neither block nor take long (a tick, a heartbeat round, handing work over). */
    public synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            try {
                timer = (ScheduledExecutorService) new InitialContext().lookup(DEFAULT_MANAGED_SCHEDULER);
            } catch (NamingException | ClassCastException e) {
                LOG.info(() -> "No " + DEFAULT_MANAGED_SCHEDULER + " (" + e + "); using Switchboard's own timer");
                ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(2, named("switchboard-timer", null));
                own.setRemoveOnCancelPolicy(true);
                timer = own;
                ownTimer = true;
            }
        }
        return timer;
    }

    /** The work pool: for anything that may block. Tasks run in the order given, several at a time. */
    public synchronized Executor work() {
        if (work == null) {
            ThreadFactory container = managedThreadFactory();
            work = new ThreadPoolExecutor(WORK_THREADS, WORK_THREADS, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(WORK_QUEUE), named("switchboard-work", container),
                    new ThreadPoolExecutor.CallerRunsPolicy());
            work.allowCoreThreadTimeOut(true);
        }
        return work;
    }

    /** Runs {@code task} on the work pool after {@code delay}. */
    public ScheduledFuture<?> later(Runnable task, long delay, TimeUnit unit) {
        return timer().schedule(() -> handOver(task), delay, unit);
    }

    /**
     * Runs {@code task} on the work pool every {@code period}; a round still running when the next is due
     * makes that one skip, so a stalled engine never piles rounds up. A round that throws is logged and
     * the next one runs as usual.
     */
    public ScheduledFuture<?> every(String what, Runnable task, long period, TimeUnit unit) {
        AtomicBoolean running = new AtomicBoolean();
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, e, () -> what + " failed; it runs again next time");
            } finally {
                running.set(false);
            }
        };
        return timer().scheduleWithFixedDelay(() -> {
            if (running.compareAndSet(false, true)) {
                try {
                    handOver(guarded);
                } catch (RuntimeException e) {
                    running.set(false);
                    throw e;
                }
            }
        }, period, period, unit);
    }

    /** Waits up to {@code millis} for the work pool to have nothing queued or running. */
    public void awaitQuietWork(long millis) throws InterruptedException {
        ThreadPoolExecutor pool;
        synchronized (this) {
            pool = work;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (pool != null && (!pool.getQueue().isEmpty() || pool.getActiveCount() > 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(10); // a drain's last closes: polled, since the pool has no event for "idle"
        }
    }

    private void handOver(Runnable task) {
        try {
            work().execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            LOG.fine("Work handed over while shutting down was dropped");
        }
    }

    /** The server's thread factory, so work threads carry the application's context; null where there is none. */
    private static ThreadFactory managedThreadFactory() {
        try {
            return (ThreadFactory) new InitialContext().lookup(DEFAULT_MANAGED_THREAD_FACTORY);
        } catch (NamingException | ClassCastException e) {
            return null;
        }
    }

    private static ThreadFactory named(String prefix, ThreadFactory base) {
        AtomicInteger count = new AtomicInteger();
        // Where the server gives no factory (Tomcat), a thread would take the context class loader of whichever
        // thread happened to start it (a JDK HttpClient's, the test JVM's): lookups through it (JSON-P's
        // Json.createReader, ServiceLoader) would then find another copy of the API than the application's.
        ClassLoader application = ServerExecutors.class.getClassLoader();
        return r -> {
            Thread t = base == null ? new Thread(r) : base.newThread(r);
            if (base == null) {
                t.setContextClassLoader(application);
            }
            t.setName(prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Only our own executors are shut down: servers forbid shutting down a managed one. */
    @PreDestroy
    public synchronized void shutdownOwnExecutors() {
        if (ownTimer) {
            timer.shutdownNow();
        }
        if (work != null) {
            work.shutdown();
        }
    }
}

package io.rawmetrics.internal.lifecycle;

import io.rawmetrics.InvalidConfigurationException;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.CallRecorder;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.LibraryThreads;
import io.rawmetrics.internal.ReleasableThreadLocal;
import io.rawmetrics.internal.Throttle;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.delivery.LineSender;
import io.rawmetrics.internal.delivery.Senders;
import io.rawmetrics.internal.tags.TagGuards;
import io.rawmetrics.internal.writer.Pipeline;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Which recorder is current in this JVM, and every change of it: one class, over 350 lines,
 * because each change (a start on the first call, a start or replacement by the application or
 * an owner, calls held for an owner, a stop, the exit, an application's end) is made under its one
 * lock against the same few fields, and reads more safely in one place than spread over several.
 * What does not touch that state lives beside it: {@link Stopped}, {@link NotStarted},
 * {@link ShutdownHook}, {@link StartingRecorder}, and the transport's choice ({@link Senders}).
 *
 * <p>The first timed call starts a recorder from {@link RawMetricsConfig#fromEnvironment()} unless
 * {@code RawMetrics.start} was called before, on a thread of its own: the calls made meanwhile
 * wait in a {@link StartingRecorder}, so that no call waits for the start. If that configuration is
 * invalid, the error is logged once and calls are not recorded: a bad setting must not break the
 * application. Neither kind of start waits for the network: the writer thread makes its HTTP client
 * when it first writes ({@link Senders#forConfig}).
 */
public final class Lifecycle {

    private static final System.Logger LOG = LibraryLog.LOG;
    /** How long replacing a running recorder may spend writing what the old one holds. */
    private static final Duration REPLACE_TIMEOUT = Duration.ofSeconds(5);

    private static volatile CallRecorder current;
    /** The pipeline behind {@link #current}, if any: set with it, under this class's lock. */
    private static volatile Pipeline running;
    /** The recorder once the shutdown hook has stopped recording; made now, so that its class is loaded now. */
    private static final Stopped STOPPED_AT_EXIT = new Stopped(
            " ended after recording stopped at JVM exit and is not written (nor are any later ones);"
            + " an application that finishes requests during its own shutdown should stop rawmetrics"
            + " itself after them: see \"Programs that end\" in docs/getting-started.md", false);
    /** Linked now, not in the shutdown hook (see {@link #stopAtExit()}). */
    private static final Runnable SWITCH_TO_STOPPED_AT_EXIT = Lifecycle::switchToStoppedAtExit;
    /** Where calls go once the exit watch stopped recording ({@code mvn exec:java} ended the program). */
    private static final Stopped STOPPED_AT_PROGRAM_END = new Stopped(
            " ended after its program ended (mvn exec:java stops rawmetrics once main returns) and is not written"
            + " (nor are any later ones)", false);
    /** Whether {@link #running} was started by an owner ({@link #startOwned}), which stops it. */
    private static volatile boolean runningOwned;
    /** The last pipeline stopped, so its final counters can still be read. */
    private static volatile Pipeline lastStopped;
    /** Stops recording at JVM exit; removed when the application ends before the JVM ({@link #end}). */
    private static final ShutdownHook SHUTDOWN_HOOK = new ShutdownHook(Lifecycle::stopAtExit);
    /** The thread starting the recorder from the environment, if one was made: waited for by {@link #end}. */
    private static volatile Thread starter;
    private static final Throttle failureReported = Throttle.once();
    /**
     * Loaded now: the shutdown hook asks whether a start is under way, and under {@code mvn exec:java}
     * the application's class loader is closed by then (see {@link #stopAtExit()}).
     */
    private static final Class<?> STARTING_RECORDER = StartingRecorder.class;
    /** Loaded now, for the same reason: the shutdown hook asks whether the start failed. */
    private static final Class<?> NOT_STARTED = NotStarted.class;
    /**
     * The calls of an owner being set up ({@link #holdCallsForOwner}), waiting for its {@link
     * #startOwned}; {@code null} if none. Never waited for as a start under way is: nothing starts it
     * but its owner.
     */
    private static volatile StartingRecorder heldForOwner;
    /** Where a start from the environment reads its settings: replaced only by the test that makes a start fail. */
    static volatile Supplier<RawMetricsConfig> environment = RawMetricsConfig::fromEnvironment;
    /** How long stopping, flushing or replacing the recorder waits for a start from the environment under way. */
    private static final long START_WAIT_SECONDS = 30;

    private Lifecycle() {
    }

    /** The current recorder, starting one from the environment on first use. */
    static CallRecorder recorder() {
        CallRecorder recorder = current;
        return recorder != null ? recorder : startFromEnvironment();
    }

    /**
     * The first call starts the recorder: it installs a {@link StartingRecorder}, and a thread of
     * its own does the rest. The lock is held for that only (microseconds), so first calls on many
     * threads at once (a virtual thread per request) do not queue behind the start.
     */
    private static synchronized CallRecorder startFromEnvironment() {
        if (current == null) {
            StartingRecorder starting = new StartingRecorder();
            current = starting;
            // Now, not once started: a program whose main ends before the start is done (a few
            // calls, then exit) must still have its calls written at exit. The hook waits for the
            // start; it does nothing if the configuration turns rawmetrics.shutdown-hook off.
            SHUTDOWN_HOOK.install();
            startThread(starting);
        }
        return current;
    }

    /**
     * In the first caller's thread group, like the pipeline's exit watch it creates (see
     * finishStarting): mvn exec:java waits for that group's threads when main returns. A group
     * already destroyed (a call from a thread of a program mvn exec:java ended, on Java 17) takes
     * no thread: the library's own group does.
     */
    private static void startThread(StartingRecorder starting) {
        Runnable start = () -> {
            try {
                finishStarting(starting);
            } catch (Throwable t) {
                startFailed(starting, t);
            }
        };
        Thread starter;
        try {
            starter = new Thread(start, "rawmetrics-start");
            starter.setDaemon(true);
            starter.start();
        } catch (IllegalThreadStateException destroyedGroup) {
            starter = new Thread(LibraryThreads.group(), start, "rawmetrics-start");
            starter.setDaemon(true);
            starter.start();
        }
        Lifecycle.starter = starter;
    }

    /**
     * The start thread: reads the configuration, starts the recorder and hands it the calls made
     * meanwhile. If {@code mvn exec:java} interrupted it (main returned before the start was done),
     * the interrupt is passed on to the new pipeline's exit watch, and this thread waits for it:
     * the plugin then waits for the last points to be written before it closes the class loader.
     */
    private static void finishStarting(StartingRecorder starting) {
        starting.awaitFirstBurst();
        CallRecorder target;
        Pipeline pipeline;
        long dropped;
        synchronized (Lifecycle.class) {
            if (current == starting) {
                try {
                    RawMetricsConfig config = environment.get();
                    startWith(config, config.enabled() ? Senders.forConfig(config) : null, starting);
                } catch (InvalidConfigurationException e) {
                    // The calls kept so far are handed to DISABLED below, as every later one: a bad
                    // setting must not break the application, and the error says which.
                    LOG.log(System.Logger.Level.ERROR, "rawmetrics: not recording timed calls: " + e.getMessage());
                    current = CallRecorder.DISABLED;
                    running = null;
                    lastStopped = null;
                }
            }
            // Else RawMetrics.start or stop came first: the calls go to what it left.
            target = current != null ? current : CallRecorder.DISABLED;
            pipeline = running;
            dropped = starting.handOver(target);
        }
        if (pipeline != null) {
            pipeline.handedOver();
            pipeline.droppedWhileStarting(dropped);
            if (Thread.interrupted()) {
                pipeline.exitWatch().interrupt();
                try {
                    pipeline.exitWatch().join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * The start failed of something other than a setting (a class that cannot be loaded, out of
     * memory, a bug): the calls kept so far, and every later one, are counted as not recorded
     * ({@link #notRecorded()}), and that is said now, with the cause and the count, and again at exit.
     */
    private static void startFailed(StartingRecorder starting, Throwable cause) {
        NotStarted failed = new NotStarted(cause);
        long kept;
        synchronized (Lifecycle.class) {
            if (current != starting) {
                return; // a start or a stop came first and took the calls
            }
            current = failed;
            running = null;
            kept = starting.handOver(failed);
        }
        failed.add(kept);
        LOG.log(System.Logger.Level.ERROR, "rawmetrics: could not start recording: " + cause + "; the "
                + String.format("%,d", failed.calls()) + " timed calls made so far are lost, and later ones are"
                + " counted as not recorded (RawMetrics.stats())", cause);
    }

    /** Timed calls not recorded because recording could not start ({@link #startFailed}); 0 if it did. */
    public static long notRecorded() {
        return current instanceof NotStarted failed ? failed.calls() : 0;
    }

    /**
     * Waits for a start from the environment under way, if any, so that what follows (a stop, a
     * flush, another start) finds the recorder it started and the calls it was handed.
     */
    private static void awaitStart() {
        CallRecorder recorder = current;
        while (recorder instanceof StartingRecorder starting && starting != heldForOwner) {
            starting.awaitHandOver(START_WAIT_SECONDS);
            if (current == recorder) {
                return; // the start is stuck: go on rather than hang the application
            }
            recorder = current;
        }
    }

    /**
     * Replaces the current recorder by one for {@code config}; the previous one, if any, is shut
     * down after writing what it holds.
     */
    public static void start(RawMetricsConfig config) {
        start(config, config.enabled() ? Senders.forConfig(config) : null);
    }

    /**
     * Like {@link #start(RawMetricsConfig)} with another transport: for benchmarks that measure
     * the caller's cost without the network, and tests. Not an API.
     */
    public static void start(RawMetricsConfig config, LineSender sender) {
        awaitStart();
        synchronized (Lifecycle.class) {
            startWith(config, sender, null);
        }
    }

    /**
     * {@code handingOver}: the recorder whose calls the new pipeline is handed next (they began
     * after it was made, and some may be under way), or {@code null}.
     */
    private static void startWith(RawMetricsConfig config, LineSender sender, StartingRecorder handingOver) {
        Pipeline previous = running;
        TagGuards.limit(config.maxTagValues(), config.maxTagValueLength());
        long firstCallNanos = handingOver != null ? handingOver.createdNanos() : Long.MAX_VALUE;
        Pipeline started = config.enabled() ? new Pipeline(config, sender, HostIdentity.current(), Clock.SYSTEM,
                firstCallNanos, Lifecycle::switchToStoppedAtProgramEnd) : null;
        if (started != null && handingOver != null) {
            started.inheritCallsUnderWay(handingOver::bequeath); // before any call can find it current
        }
        running = started;
        runningOwned = false;
        current = started != null ? started.recorder() : CallRecorder.DISABLED;
        lastStopped = null;
        if (previous != null) {
            previous.shutdown(REPLACE_TIMEOUT);
        }
        if (started != null && config.shutdownHook()) {
            SHUTDOWN_HOOK.install();
        }
    }

    /**
     * The application ends and the JVM goes on: a web application undeployed from a servlet
     * container, whose request threads, and the JVM, outlive it. Writes what is buffered within
     * the recorder's {@code rawmetrics.shutdown-timeout} and says what was lost, as {@link #stop}
     * does; then waits for the library's threads to end, forgets the JVM shutdown hook and lets go
     * of every thread's buffers, so that nothing the container keeps holds the application's classes. Timed calls made later (a
     * thread of the application's that lives on) are not written, and the first says so, naming
     * {@code whatEnded}: they must not start a recorder that nobody would stop. A recorder that an
     * owner started ({@link #startOwned}) is left to its owner's stop.
     *
     * @return whether what was buffered was written in time
     */
    public static boolean end(String whatEnded) {
        awaitStart();
        releaseHeldCalls();
        Pipeline stopping;
        Duration timeout;
        synchronized (Lifecycle.class) {
            if (running != null && runningOwned) {
                // An owner inside the application (a Spring context in a WAR) stops its recorder
                // itself, maybe after this: its beans may still make timed calls as they close.
                stopping = null;
            } else {
                stopping = running;
                running = null;
                lastStopped = null;
                current = new Stopped(" ended after " + whatEnded + " and is not written", true);
            }
            timeout = stopping != null ? stopping.config().shutdownTimeout() : Duration.ZERO;
        }
        boolean written = true;
        long deadline = System.nanoTime() + timeout.toNanos() + 1_000_000_000L;
        if (stopping != null) {
            written = stopping.shutdown(timeout);
            awaitEnd(stopping.exitWatch(), deadline);
        }
        awaitEnd(starter, deadline);
        starter = null;
        SHUTDOWN_HOOK.remove();
        ReleasableThreadLocal.releaseAtApplicationEnd();
        if (written && running == null) {
            Senders.endSharedThreads();
        }
        return written;
    }

    private static void awaitEnd(Thread thread, long deadlineNanos) {
        if (thread == null) {
            return;
        }
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                thread.join(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The running pipeline (once a start under way is done), or {@code null} if none (not started, disabled or stopped). */
    public static Pipeline pipeline() {
        awaitStart();
        return running;
    }

    /** The current recorder, started from the environment if none runs yet. Not an API. */
    public static CallRecorder currentRecorder() {
        return recorder();
    }

    /** The running pipeline, else the one stopped last (for its final counters), else {@code null}. */
    public static Pipeline pipelineForStats() {
        Pipeline running = pipeline();
        return running != null ? running : lastStopped;
    }

    /** Writes what is buffered and stops recording; later calls start a new recorder from the environment. */
    public static boolean stop(Duration timeout) {
        awaitStart();
        return stopNow(timeout);
    }

    /**
     * Starts recording with {@code config} for an owner that stops it later with {@link
     * #stopOwned}, an application context say.
     *
     * @return the pipeline started, to hand to {@link #stopOwned}; {@code null} if recording is disabled
     */
    public static Pipeline startOwned(RawMetricsConfig config) {
        awaitStart();
        Pipeline started;
        long dropped;
        synchronized (Lifecycle.class) {
            StartingRecorder held = current == heldForOwner ? heldForOwner : null;
            heldForOwner = null;
            startWith(config, config.enabled() ? Senders.forConfig(config) : null, held);
            runningOwned = true;
            started = running;
            dropped = held != null ? held.handOver(current) : 0;
        }
        if (started != null) {
            started.handedOver();
            started.droppedWhileStarting(dropped);
        }
        return started;
    }

    /**
     * Timed calls made from now on wait for the next {@link #startOwned}, which hands them to its
     * recorder: for an owner being set up that starts recording soon, an application context whose
     * beans are being created (one may make timed calls while it is created). Without this, the
     * first such call would start a recorder from system properties and the environment, writing
     * elsewhere, which the owner's start would then replace. Nothing happens if a recorder runs or
     * starts already.
     */
    public static synchronized void holdCallsForOwner() {
        if (current == null || current instanceof Stopped) {
            heldForOwner = new StartingRecorder();
            current = heldForOwner;
        }
    }

    /**
     * The owner that {@link #holdCallsForOwner held} the calls will not start (its set-up failed):
     * they are not recorded, and if there were any, that is said with their count.
     */
    public static void releaseHeldCalls() {
        long released;
        synchronized (Lifecycle.class) {
            if (heldForOwner == null || current != heldForOwner) {
                return;
            }
            long[] calls = new long[1];
            released = heldForOwner.handOver((site, startNanos, endNanos, errorClass) -> calls[0]++) + calls[0];
            heldForOwner = null;
            current = null;
        }
        if (released > 0) {
            LOG.log(System.Logger.Level.WARNING, "rawmetrics: " + released + " timed calls made while the application"
                    + " was being set up are not recorded: it did not start");
        }
    }

    /**
     * Stops {@code owned} if it still records (another owner may have replaced it), writing what it
     * holds within {@code timeout}. Later calls are not recorded until the next start, and the first
     * says so: {@code whatEnded} names what stopped (an application context), and a timed call
     * from a thread that outlives it must not start a recorder from the environment, which would
     * write elsewhere and hold threads the owner believes gone.
     *
     * @return whether what it held was written in time (true if it was no longer recording)
     */
    public static boolean stopOwned(Pipeline owned, String whatEnded, Duration timeout) {
        awaitStart();
        synchronized (Lifecycle.class) {
            if (owned == null || running != owned) {
                return true;
            }
            running = null;
            lastStopped = owned;
            current = new Stopped(" ended after " + whatEnded + " stopped rawmetrics and is not written"
                    + " (nor are later ones, until rawmetrics starts again)", true);
        }
        return owned.shutdown(timeout);
    }

    private static synchronized boolean stopNow(Duration timeout) {
        Pipeline previous = running;
        current = null;
        running = null;
        if (previous != null) {
            lastStopped = previous;
            return previous.shutdown(timeout);
        }
        return true;
    }

    /**
     * The shutdown hook: stops the recorder running then, within its configured deadline, and
     * prints what was lost, if anything, on standard error. Under {@code mvn exec:java} the
     * writer has ended already (its exit watch was interrupted when {@code main} returned, see
     * {@link Pipeline}) and the application's class loader is closed: nothing here may need a
     * class not loaded yet, and a failure is reported in the plainest way there is.
     */
    private static void stopAtExit() {
        try {
            Pipeline running = pipeline();
            if (running != null && running.config().shutdownHook()) {
                running.shutdownAtExit(running.config().shutdownTimeout(), SWITCH_TO_STOPPED_AT_EXIT);
            } else if (current instanceof NotStarted failed && failed.calls() > 0) {
                System.err.println(failed.describe());
            }
        } catch (Throwable t) {
            // No string concatenation: its call site would be linked now, by a class loader that may be closed.
            System.err.println("rawmetrics: could not write the last points at exit:");
            t.printStackTrace();
        }
    }

    /**
     * Calls ending from now on (requests an application still finishes in its own shutdown)
     * cannot be written: they go to {@link #STOPPED_AT_EXIT}, which says so, rather than start a
     * new recorder.
     */
    private static synchronized void switchToStoppedAtExit() {
        Pipeline running = pipeline();
        if (running != null) {
            lastStopped = running;
        }
        current = STOPPED_AT_EXIT;
        Lifecycle.running = null;
    }

    /**
     * The exit watch stopped {@code stopped} ({@code mvn exec:java} ended the program): calls ending
     * from now on go to {@link #STOPPED_AT_PROGRAM_END}, and the shutdown hook, which runs once the
     * program's class loader is closed, finds nothing left to do.
     */
    private static synchronized void switchToStoppedAtProgramEnd(Pipeline stopped) {
        if (running == stopped) {
            lastStopped = stopped;
            current = STOPPED_AT_PROGRAM_END;
            running = null;
        }
    }

    /** Whether the JVM shutdown hook is installed, for tests. */
    static boolean shutdownHookInstalled() {
        return SHUTDOWN_HOOK.installed();
    }

    /** A bug in the library surfaced on a caller's thread: reported once, never rethrown. */
    static void recordingFailed(Throwable bug) {
        if (failureReported.sayNow()) {
            LOG.log(System.Logger.Level.ERROR, "rawmetrics: failed to record a call; later failures are not logged", bug);
        }
    }
}

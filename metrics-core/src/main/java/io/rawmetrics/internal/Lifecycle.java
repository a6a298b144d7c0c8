package io.rawmetrics.internal;

import io.rawmetrics.RawMetricsConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which recorder is current in this JVM, and starting and stopping it.
 *
 * <p>The first timed call starts a recorder from {@link RawMetricsConfig#fromEnvironment()} unless
 * {@code RawMetrics.start} was called before. If that configuration is invalid, the error is
 * logged once and calls are not recorded: a bad setting must not break the application.
 */
public final class Lifecycle {

    private static final System.Logger LOG = System.getLogger("io.rawmetrics");
    /** How long replacing a running recorder may spend writing what the old one holds. */
    private static final Duration REPLACE_TIMEOUT = Duration.ofSeconds(5);

    private static volatile CallRecorder current;
    /** The recorder once the shutdown hook has stopped recording; made now, so that its class is loaded now. */
    private static final StoppedAtExit STOPPED_AT_EXIT = new StoppedAtExit();
    /** Linked now, not in the shutdown hook (see {@link #stopAtExit()}). */
    private static final Runnable SWITCH_TO_STOPPED_AT_EXIT = Lifecycle::switchToStoppedAtExit;
    /** The last pipeline stopped, so its final counters can still be read. */
    private static volatile Pipeline lastStopped;
    private static final AtomicBoolean hookInstalled = new AtomicBoolean();
    private static final AtomicBoolean failureReported = new AtomicBoolean();
    /** Set while a first call starts the recorder from the environment; see {@link #startFromEnvironment()}. */
    private static final AtomicReference<CompletableFuture<CallRecorder>> STARTING = new AtomicReference<>();

    private Lifecycle() {
    }

    /** The current recorder, starting one from the environment on first use. */
    static CallRecorder recorder() {
        CallRecorder recorder = current;
        return recorder != null ? recorder : startFromEnvironment();
    }

    /**
     * The first call starts the recorder; calls made meanwhile wait for it on a future, not on
     * this class's lock: a server with a virtual thread per request can have tens of thousands of
     * first calls waiting, and a monitor lets its waiters in one after the other (measured: 60,000
     * virtual threads took 4.7 s to get through), where a future releases them all at once.
     */
    private static CallRecorder startFromEnvironment() {
        CompletableFuture<CallRecorder> mine = new CompletableFuture<>();
        CompletableFuture<CallRecorder> first = STARTING.compareAndExchange(null, mine);
        if (first != null) {
            return first.join();
        }
        try {
            mine.complete(startFromEnvironmentOnce());
        } catch (Throwable t) {
            mine.completeExceptionally(t);
            throw t;
        } finally {
            STARTING.set(null); // after a stop, a later call starts a new recorder
        }
        return mine.join();
    }

    private static synchronized CallRecorder startFromEnvironmentOnce() {
        if (current == null) {
            try {
                start(RawMetricsConfig.fromEnvironment());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "rawmetrics: not recording timed calls: " + e.getMessage());
                current = CallRecorder.DISABLED;
                lastStopped = null;
            }
        }
        return current;
    }

    /**
     * Replaces the current recorder by one for {@code config}; the previous one, if any, is shut
     * down after writing what it holds.
     */
    public static synchronized void start(RawMetricsConfig config) {
        start(config, config.enabled() ? new InfluxDbLineSender(config) : null);
    }

    /**
     * Like {@link #start(RawMetricsConfig)} with another transport: for benchmarks that measure
     * the caller's cost without the network, and tests. Not an API.
     */
    public static synchronized void start(RawMetricsConfig config, LineSender sender) {
        Pipeline previous = pipelineOf(current);
        Pipeline started = config.enabled() ? new Pipeline(config, sender, HostIdentity.current(), Clock.SYSTEM) : null;
        current = started != null ? started.recorder() : CallRecorder.DISABLED;
        lastStopped = null;
        if (previous != null) {
            previous.shutdown(REPLACE_TIMEOUT);
        }
        if (started != null && config.shutdownHook() && hookInstalled.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(Lifecycle::stopAtExit, "rawmetrics-shutdown"));
        }
    }

    /** The running pipeline, or {@code null} if none (not started, disabled or stopped). */
    public static Pipeline pipeline() {
        return pipelineOf(current);
    }

    /** The current recorder, started from the environment if none runs yet. Not an API. */
    public static CallRecorder currentRecorder() {
        return recorder();
    }

    private static Pipeline pipelineOf(CallRecorder recorder) {
        if (recorder instanceof Pipeline pipeline) {
            return pipeline;
        }
        return recorder instanceof Aggregator aggregator ? aggregator.pipeline() : null;
    }

    /** The running pipeline, else the one stopped last (for its final counters), else {@code null}. */
    public static Pipeline pipelineForStats() {
        Pipeline running = pipeline();
        return running != null ? running : lastStopped;
    }

    /** Writes what is buffered and stops recording; later calls start a new recorder from the environment. */
    public static synchronized boolean stop(Duration timeout) {
        Pipeline previous = pipelineOf(current);
        current = null;
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
            if (running != null) {
                running.shutdownAtExit(running.config().shutdownTimeout(), SWITCH_TO_STOPPED_AT_EXIT);
            }
        } catch (Throwable t) {
            System.err.println("rawmetrics: could not write the last points at exit: " + t);
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
    }

    /**
     * Where calls go once the JVM's shutdown hook has stopped recording. Hooks run all at once, so
     * an application finishing requests in its own graceful shutdown (Spring Boot's, say) can
     * still end timed calls then: they are not written, and the first one says so on standard
     * error, naming the method and the fix. Text built without string concatenation, for the same
     * reason as in {@link Losses}.
     */
    private static final class StoppedAtExit implements CallRecorder {
        private final AtomicBoolean told = new AtomicBoolean();

        @Override
        public void record(Object site, long startNanos, long endNanos, Object errorClass) {
            if (told.compareAndSet(false, true)) {
                String method;
                try {
                    method = String.valueOf(site);
                } catch (Throwable t) {
                    method = "a timed method";
                }
                System.err.println(new StringBuilder("rawmetrics: a call of ").append(method)
                        .append(" ended after recording stopped at JVM exit and is not written (nor are any later ones);")
                        .append(" an application that finishes requests during its own shutdown should stop rawmetrics")
                        .append(" itself after them: see \"Programs that end\" in docs/getting-started.md").toString());
            }
        }
    }

    /** A bug in the library surfaced on a caller's thread: reported once, never rethrown. */
    static void recordingFailed(Throwable bug) {
        if (failureReported.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.ERROR, "rawmetrics: failed to record a call; later failures are not logged", bug);
        }
    }
}

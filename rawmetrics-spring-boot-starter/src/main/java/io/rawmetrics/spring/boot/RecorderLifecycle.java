package io.rawmetrics.spring.boot;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.spi.LibraryLogging;
import io.rawmetrics.spi.RecordingOwner;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the recorder with the application context and stops it, writing what is left, after
 * the web server's graceful shutdown has let the requests in flight finish: Spring stops
 * lifecycle beans from the highest phase down, and the web server's are {@code DEFAULT_PHASE -
 * 1024} (graceful shutdown) and {@code - 2048} (the server). Below them, but above the logging
 * system's own (just above {@code Integer.MIN_VALUE}), so that the loss summary still reaches the
 * application's log. A context closed and started again (devtools, test contexts) starts a new
 * recorder; a context that did not start this one's recorder never stops another's.
 */
final class RecorderLifecycle implements SmartLifecycle {

    /** Started before, and stopped after, the web server. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;
    private static final System.Logger LOG = LibraryLogging.logger();

    /** The recorders started and not yet stopped, for {@link #stopAll} at the end of a test run. */
    private static final Set<RecorderLifecycle> RUNNING = ConcurrentHashMap.newKeySet();

    private final RawMetricsConfig config;
    private volatile RecordingOwner recording;
    private volatile boolean running;

    RecorderLifecycle(RawMetricsConfig config) {
        this.config = config;
    }

    @Override
    public void start() {
        recording = RecordingOwner.start(config);
        running = true;
        RUNNING.add(this);
        LOG.log(System.Logger.Level.INFO, startLine(config));
    }

    @Override
    public void stop() {
        stop("the application context");
    }

    private void stop(String what) {
        running = false;
        RUNNING.remove(this);
        RecordingOwner stopping = recording;
        recording = null;
        if (stopping != null) {
            stopping.stop(what, config.shutdownTimeout());
        }
    }

    /**
     * Stops every recorder still running, writing what it holds and logging what was lost: at the
     * end of a test run ({@link TestRunEnd}), while the test output is still read. Test contexts
     * are closed later, by a JVM shutdown hook, and Maven's Surefire no longer shows what a
     * shutdown hook prints (SUREFIRE-1877).
     */
    static void stopAll(String what) {
        for (RecorderLifecycle lifecycle : RUNNING) {
            lifecycle.stop(what);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Where points go, without credentials, and in what mode; or that nothing is recorded. */
    static String startLine(RawMetricsConfig config) {
        if (!config.enabled()) {
            return "rawmetrics: not recording timed calls (rawmetrics.enabled=false)";
        }
        boolean v2 = config.api() == RawMetricsConfig.WriteApi.V2;
        return "rawmetrics: recording timed calls to InfluxDB at " + config.url()
                + (v2 ? ", bucket " + config.bucket() + " (API v2)" : ", database " + config.database())
                + ", mode " + config.mode().name().toLowerCase(java.util.Locale.ROOT)
                + (config.spoolDirectory() == null ? "" : ", spool " + config.spoolDirectory());
    }
}

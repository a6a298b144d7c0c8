package io.rawmetrics.spi;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.lifecycle.Lifecycle;
import io.rawmetrics.internal.writer.Pipeline;
import java.time.Duration;
import java.util.Objects;

/**
 * Recording that an owner starts and stops: an application context, a framework's container.
 * The owner {@linkplain #holdCalls holds} the timed calls its set-up makes, {@linkplain #start
 * starts} recording with its configuration (which takes them over), and {@linkplain #stop stops}
 * it when it closes, writing what is left. Without this, a timed call before the owner's start
 * would start a recorder from system properties and the environment, writing elsewhere.
 *
 * <pre>{@code
 * RecordingOwner.holdCalls();                       // the context is being set up
 * RecordingOwner recording = RecordingOwner.start(config);
 * ...
 * recording.stop("the application context", config.shutdownTimeout());
 * }</pre>
 */
public final class RecordingOwner {

    private final Pipeline pipeline;

    private RecordingOwner(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Timed calls made from now on wait for the next {@link #start}, which records them. Nothing
     * happens if recording runs or starts already.
     */
    public static void holdCalls() {
        Lifecycle.holdCallsForOwner();
    }

    /**
     * The owner that held the calls will not start (its set-up failed): they are not recorded, and
     * if there were any, the library's log says so with their count.
     */
    public static void releaseHeldCalls() {
        Lifecycle.releaseHeldCalls();
    }

    /**
     * Starts recording with {@code config}, replacing what recorded before; the calls held since
     * {@link #holdCalls} are recorded by it.
     */
    public static RecordingOwner start(RawMetricsConfig config) {
        return new RecordingOwner(Lifecycle.startOwned(Objects.requireNonNull(config, "config")));
    }

    /** Whether what this owner started still records (false if disabled, stopped, or replaced since). */
    public boolean recording() {
        return pipeline != null && Lifecycle.pipeline() == pipeline;
    }

    /**
     * Stops what this owner started, if it still records, writing what it holds within {@code
     * timeout} and saying in the library's log what was lost. Later calls are not recorded until
     * the next start, and the first says so, naming {@code whatEnded}: a thread that outlives the
     * owner must not start a recorder that nobody would stop.
     *
     * @param whatEnded what stopped, for that message: {@code "the application context"}
     * @return whether what it held was written in time (true if it no longer recorded)
     */
    public boolean stop(String whatEnded, Duration timeout) {
        return Lifecycle.stopOwned(pipeline, Objects.requireNonNull(whatEnded, "whatEnded"), timeout);
    }

    /**
     * The application ends and the JVM goes on (a web application undeployed from a servlet
     * container): writes what is buffered within the recorder's {@code rawmetrics.shutdown-timeout},
     * waits for the library's threads to end, forgets its JVM shutdown hook and lets go of every
     * thread's buffers, so that nothing outliving the application holds its classes. Later timed
     * calls are not written, and the first says so, naming {@code whatEnded}. Recording an owner
     * started is left to that owner's {@link #stop}.
     *
     * @return whether what was buffered was written in time
     */
    public static boolean applicationEnded(String whatEnded) {
        return Lifecycle.end(Objects.requireNonNull(whatEnded, "whatEnded"));
    }
}

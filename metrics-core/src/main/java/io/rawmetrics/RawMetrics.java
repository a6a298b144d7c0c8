package io.rawmetrics;

import io.rawmetrics.internal.Lifecycle;
import io.rawmetrics.internal.Pipeline;
import java.time.Duration;

/**
 * Starting, flushing and stopping the recorder of timed calls.
 *
 * <p>Nothing here is required: the first {@link FunctionCall} starts a recorder configured by
 * {@link RawMetricsConfig#fromEnvironment()}, and a JVM shutdown hook writes what is left (for up
 * to {@code rawmetrics.shutdown-timeout}, 5 seconds by default). Call {@link #start(RawMetricsConfig)} early in {@code main} to configure in code,
 * or to fail fast on a bad setting.
 */
public final class RawMetrics {

    private RawMetrics() {
    }

    /**
     * Starts recording with the configuration from system properties and the environment.
     *
     * @throws InvalidConfigurationException naming the bad key and value
     */
    public static void start() {
        start(RawMetricsConfig.fromEnvironment());
    }

    /** Starts recording with {@code config}, replacing (and flushing) any recorder already running. */
    public static void start(RawMetricsConfig config) {
        Lifecycle.start(config);
    }

    /**
     * Writes every call recorded so far and waits for InfluxDB to accept it, at most {@code timeout}.
     *
     * @return true if everything recorded before this call was written (or nothing is running)
     */
    public static boolean flush(Duration timeout) {
        Pipeline pipeline = Lifecycle.pipeline();
        return pipeline == null || pipeline.flush(timeout);
    }

    /**
     * Writes what is buffered, at most {@code timeout}, and stops recording. A later timed call
     * starts a new recorder from the environment.
     *
     * @return true if everything was written in time
     */
    public static boolean stop(Duration timeout) {
        return Lifecycle.stop(timeout);
    }

    /**
     * Points written so far, and calls dropped, by the running recorder; after {@link #stop}, the
     * final counts of the recorder stopped; zeros if none ran.
     */
    public static Stats stats() {
        Pipeline pipeline = Lifecycle.pipelineForStats();
        return pipeline == null ? new Stats(0, 0) : new Stats(pipeline.delivered(), pipeline.dropped());
    }

    /**
     * Counters of the running recorder.
     *
     * @param delivered points InfluxDB accepted
     * @param dropped   calls that will never be written: buffer full, rejected by the server, or
     *                  unsent when a shutdown deadline passed
     */
    public record Stats(long delivered, long dropped) {
    }
}

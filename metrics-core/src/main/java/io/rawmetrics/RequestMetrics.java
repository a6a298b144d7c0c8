package io.rawmetrics;

import io.rawmetrics.internal.lifecycle.Lifecycle;
import io.rawmetrics.internal.aggregate.Aggregator;
import java.time.Duration;

/**
 * What only the application's server knows about its requests, for the aggregated mode's
 * {@code request-metrics} (see {@link RawMetricsConfig#MODE}): the workshop's {@code server_time}
 * and {@code queue_time}, and how many threads serve requests. Call these from the code that
 * accepts and answers requests; they cost a few stores, never block, never throw. When nothing
 * is aggregated ({@code rawmetrics.mode=raw}), they do nothing.
 *
 * <p>mod_wsgi's {@code daemon_time} (time spent passing a request from Apache to a daemon process)
 * has no counterpart in a Java server, and is not reported.
 */
public final class RequestMetrics {

    private RequestMetrics() {
    }

    /**
     * One request's server time: from its arrival (the server accepted it) to the end of its
     * response. The interval's {@code server_time} is the mean of those reported in it.
     */
    public static void serverTime(long nanos) {
        if (Lifecycle.currentRecorder() instanceof Aggregator aggregator) {
            aggregator.serverTime(nanos);
        }
    }

    /** {@link #serverTime(long)} from a {@link Duration}. */
    public static void serverTime(Duration time) {
        serverTime(time.toNanos());
    }

    /**
     * One request's queue time: how long it waited, accepted, for a thread to handle it. The
     * interval's {@code queue_time} is the mean of those reported in it.
     */
    public static void queueTime(long nanos) {
        if (Lifecycle.currentRecorder() instanceof Aggregator aggregator) {
            aggregator.queueTime(nanos);
        }
    }

    /** {@link #queueTime(long)} from a {@link Duration}. */
    public static void queueTime(Duration time) {
        queueTime(time.toNanos());
    }

    /**
     * How many threads the application has to serve requests (its pool's size): the workshop's
     * {@code request_threads_maximum}, against which {@code capacity_utilization} is measured.
     * Until it is set, the most threads seen serving requests at once stands for it.
     *
     * @throws IllegalArgumentException if {@code threads} is less than 1
     */
    public static void requestThreadsMaximum(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("requestThreadsMaximum " + threads + " must be at least 1");
        }
        Aggregator.requestThreadsMaximum(threads);
    }
}

package io.rawmetrics.internal.delivery;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.lineprotocol.BatchEncoder;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Delivers the encoder's batch: retrying while the server is unavailable and a stop's deadline
 * allows ({@link RetryingSender}), in halves when the server finds the request too large or
 * refuses some of its points, so that one point no server takes is dropped alone, named in the
 * log, and never holds back the points of other functions. Counts every point by its fate:
 * delivered, refused, or abandoned at the deadline. Writer thread only; the counts may be read
 * from any thread.
 */
public final class BatchDelivery {

    private static final System.Logger LOG = System.getLogger("io.rawmetrics");
    private static final long REJECTION_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final RetryingSender retrying;
    private final BatchEncoder encoder;
    private final RawMetricsConfig config;
    private volatile long delivered;
    private volatile long refused;
    private volatile long abandoned;
    private final Throttle rejections = new Throttle(REJECTION_LOG_INTERVAL_NANOS);
    /** Functions whose refused points were logged already: one message each, later ones are counted. */
    private final Set<String> refusalsLogged = new HashSet<>();

    public BatchDelivery(RetryingSender retrying, BatchEncoder encoder, RawMetricsConfig config) {
        this.retrying = retrying;
        this.encoder = encoder;
        this.config = config;
    }

    /** Points the server accepted. */
    public long delivered() {
        return delivered;
    }

    /** Points the server refused. */
    public long refused() {
        return refused;
    }

    /** Points still unsent when a stop's deadline passed. */
    public long abandoned() {
        return abandoned;
    }

    /** Points whose fate is settled: delivered, refused or abandoned. */
    public long settled() {
        return delivered + refused + abandoned;
    }

    /** Delivers the whole batch the encoder holds. */
    public void deliverBatch() {
        deliver(0, encoder.points());
    }

    /**
     * Sends points {@code from} to {@code to} (exclusive) of the batch. Points a server stored in an
     * attempt that failed in part are stored again, unchanged, by the next: a point with the same
     * series and timestamp overwrites itself.
     */
    private void deliver(int from, int to) {
        int points = to - from;
        int start = encoder.lineStart(from);
        RetryingSender.Sent sent = retrying.send(encoder.lines().array(), start, encoder.lineEnd(to - 1) - start);
        LineSender.WriteException e = sent.answer();
        if (sent == RetryingSender.Sent.TAKEN) {
            delivered += points;
        } else if (sent == RetryingSender.Sent.GAVE_UP) {
            abandoned += points;
        } else if (e.failure() == LineSender.Failure.REFUSED) {
            rejected(points, points + " points", e);
        } else if (e.rejectedPoints() == 0) {
            delivered += points; // too large or bad points, says the status; a partial write that refused nothing
        } else if (points == 1 || e.rejectedPoints() >= points) {
            pointsRefused(from, to, e);
        } else {
            int middle = from + points / 2;
            deliver(from, middle);
            deliver(middle, to);
        }
    }

    /**
     * The server refused every one of these points for what they hold (or one point alone is
     * larger than it takes): they are dropped and counted, and each function's first such point
     * is logged, naming it.
     */
    private void pointsRefused(int from, int to, LineSender.WriteException e) {
        refused += to - from;
        for (int i = from; i < to; i++) {
            String function = encoder.function(i).function();
            if (refusalsLogged.add(function)) {
                int bytes = encoder.lineEnd(i) - encoder.lineStart(i);
                LOG.log(System.Logger.Level.WARNING, "rawmetrics: InfluxDB at " + RetryingSender.where(config)
                        + " refused a point of " + function + " (" + bytes + " bytes of line protocol), which is dropped: "
                        + e.getMessage()
                        + (e.failure() == LineSender.Failure.TOO_LARGE
                                ? " (the point alone is larger than the server takes: its max-body-size)" : "")
                        + "; later refused points of " + function + " are counted, not logged");
            }
        }
    }

    /**
     * The server refused the request whatever it held (authentication, a missing database), or
     * part of a batch: never sent again. {@code points} of them are counted as refused (0 for what
     * is counted elsewhere, as an interval's aggregates). Logged at most once a minute, with the
     * number of rejections in between, so a bad setting doesn't flood the log.
     */
    public void rejected(int points, String what, LineSender.WriteException e) {
        refused += points;
        if (rejections.sayNow()) {
            int events = rejections.eventsSaid();
            LOG.log(System.Logger.Level.WARNING, "rawmetrics: InfluxDB at " + RetryingSender.where(config) + " refused "
                    + what + ", which are dropped"
                    + (events > 1 ? " (" + events + " batches refused since the last such message)" : "")
                    + ": " + e.getMessage()
                    + (RetryingSender.isDatabaseNotFound(e) && !config.createDatabase()
                            ? "; create database " + config.database() + ", or set rawmetrics.influxdb.create-database=true"
                            : ""));
        }
    }
}

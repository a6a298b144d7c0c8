package io.rawmetrics.internal.delivery;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.Throttle;
import io.rawmetrics.internal.lineprotocol.BatchEncoder;
import io.rawmetrics.internal.spool.Spool;
import io.rawmetrics.internal.spool.SpoolPolicy;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Delivers the encoder's batch: retrying while the server is unavailable and a stop's deadline
 * allows ({@link RetryingSender}), in halves when the server finds the request too large or
 * refuses some of its points, so that one point no server takes is dropped alone, named in the
 * log, and never holds back the points of other functions. Counts every point by its fate:
 * delivered, refused, abandoned at the deadline, or put aside in the spool.
 *
 * <p><b>The spool.</b> When a batch goes to the spool, and when one is tried first as a probe, is
 * {@link SpoolPolicy}'s to say; this class does it with the batch at hand.
 *
 * <p>Writer thread only; the counts may be read from any thread.
 */
public final class BatchDelivery {

    private static final System.Logger LOG = LibraryLog.LOG;
    private static final long REJECTION_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final RetryingSender retrying;
    private final BatchEncoder encoder;
    private final RawMetricsConfig config;
    private volatile long delivered;
    private volatile long refused;
    private volatile long abandoned;
    private volatile long putAside;
    /** When batches go to the spool; and the spool itself, null without one. */
    private final SpoolPolicy policy;
    private final Spool spool;
    private final Throttle rejections = new Throttle(REJECTION_LOG_INTERVAL_NANOS);
    /** Functions whose refused points were logged already: one message each, later ones are counted. */
    private final Set<String> refusalsLogged = new HashSet<>();
    /**
     * What is left of the batch to send, as {@code [from, to)} pairs of point indexes, the next on
     * top: the batch whole at first, then the halves of a part the server refused some points of.
     */
    private int[] ranges = new int[32];
    private int rangeCount;

    /** Without a spool. */
    public BatchDelivery(RetryingSender retrying, BatchEncoder encoder, RawMetricsConfig config) {
        this(retrying, encoder, config, SpoolPolicy.none());
    }

    /** With the spool's policy, and through it the spool. */
    public BatchDelivery(RetryingSender retrying, BatchEncoder encoder, RawMetricsConfig config, SpoolPolicy policy) {
        this.retrying = retrying;
        this.encoder = encoder;
        this.config = config;
        this.policy = policy;
        this.spool = policy.spool();
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

    /** Points put aside in the spool. */
    public long putAside() {
        return putAside;
    }

    /** Points whose fate is settled: delivered, refused, abandoned or put aside. */
    public long settled() {
        return delivered + refused + abandoned + putAside;
    }

    /**
     * Delivers the whole batch the encoder holds.
     *
     * @return false if some of it waits for a retry ({@link Sent#RETRY_LATER}): the
     *         writer's next pass calls {@link #resume} before it drains anything else
     */
    public boolean deliverBatch() {
        int points = encoder.points();
        if (policy.spooling()) {
            if (policy.probeDue()) {
                int start = encoder.lineStart(0);
                Sent sent = retrying.attempt(encoder.lines().array(), start, encoder.lineEnd(points - 1) - start);
                policy.probed(sent != Sent.PUT_ASIDE);
                if (!policy.spooling()) {
                    settle(0, points, sent);
                    return resume();
                }
            }
            if (putAside(0, points)) {
                return true;
            }
            policy.spoolingEnds(); // the spool takes no more: the batch waits in memory, as without a spool
        }
        push(0, points);
        return resume();
    }

    /** Whether part of the encoder's batch waits for a retry. */
    public boolean waiting() {
        return rangeCount > 0;
    }

    /**
     * Sends what is left of the batch, range by range. Points a server stored in an attempt that
     * failed in part are stored again, unchanged, by the next: a point with the same series and
     * timestamp overwrites itself.
     *
     * @return false while the server cannot take it yet: the rest waits for the retry
     */
    public boolean resume() {
        while (rangeCount > 0) {
            int from = ranges[2 * rangeCount - 2];
            int to = ranges[2 * rangeCount - 1];
            if (policy.spooling()) {
                if (putAside(from, to)) {
                    rangeCount--;
                    continue;
                }
                policy.spoolingEnds();
            }
            int start = encoder.lineStart(from);
            Sent sent = retrying.send(encoder.lines().array(), start, encoder.lineEnd(to - 1) - start);
            if (sent == Sent.RETRY_LATER) {
                return false;
            }
            if (sent == Sent.PUT_ASIDE || sent == Sent.GAVE_UP && policy.atDeadline()) {
                if (putAside(from, to)) {
                    rangeCount--;
                    if (sent == Sent.PUT_ASIDE) {
                        policy.spoolingBegins();
                    }
                    continue;
                }
                if (sent == Sent.PUT_ASIDE) {
                    // The spool took nothing (full, or failing: it takes nothing more for now): the
                    // batch waits in memory, as without a spool.
                    retrying.keepRetrying();
                    return false;
                }
            }
            rangeCount--;
            settle(from, to, sent);
        }
        return true;
    }

    /** A writer's pass failed with the batch: what is left of it is counted by the writer as lost, not sent. */
    public void dropBatch() {
        rangeCount = 0;
        retrying.forgetPending();
    }

    /** Points {@code from} to {@code to} (exclusive) are the next to send. */
    private void push(int from, int to) {
        if (2 * rangeCount + 2 > ranges.length) {
            ranges = java.util.Arrays.copyOf(ranges, ranges.length * 2);
        }
        ranges[2 * rangeCount] = from;
        ranges[2 * rangeCount + 1] = to;
        rangeCount++;
    }

    /** Counts points {@code from} to {@code to} by what became of them; if the server refused some, its halves are sent next. */
    private void settle(int from, int to, Sent sent) {
        int points = to - from;
        LineSender.WriteException e = sent.answer();
        if (sent == Sent.TAKEN) {
            delivered += points;
        } else if (sent == Sent.GAVE_UP) {
            abandoned += points;
        } else if (e.failure() == LineSender.Failure.REFUSED) {
            rejected(points, points + " points", e);
        } else if (e.rejectedPoints() == 0) {
            delivered += points; // too large or bad points, says the status; a partial write that refused nothing
        } else if (points == 1 || e.rejectedPoints() >= points) {
            pointsRefused(from, to, e);
        } else {
            int middle = from + points / 2;
            push(middle, to);
            push(from, middle); // on top: the first half goes first
        }
    }

    /** Puts points {@code from} to {@code to} aside in the spool; false if there is none, or it takes nothing now. */
    private boolean putAside(int from, int to) {
        if (spool == null || to <= from) {
            return false;
        }
        int start = encoder.lineStart(from);
        if (!spool.append(encoder.lines().array(), start, encoder.lineEnd(to - 1) - start, to - from)) {
            return false;
        }
        putAside += to - from;
        return true;
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
                LOG.log(System.Logger.Level.WARNING, "rawmetrics: " + retrying.server(true)
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
            long events = rejections.eventsSaid();
            LOG.log(System.Logger.Level.WARNING, "rawmetrics: " + retrying.server(true) + " refused "
                    + what + ", which are dropped"
                    + (events > 1 ? " (" + events + " batches refused since the last such message)" : "")
                    + ": " + e.getMessage()
                    + (retrying.targetMissing(e) && !config.createDatabase()
                            ? "; create database " + config.database() + ", or set rawmetrics.influxdb.create-database=true"
                            : ""));
        }
    }
}

package io.rawmetrics.internal;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The aggregates of one function and outcome across all threads: one {@code function-metrics}
 * series. What the caller threads share is only {@link #recordShared}, for their cells' first
 * calls; the rest belongs to the writer thread, which rebuilds the totals at each interval's end
 * from the cells and subtracts the totals of the interval before.
 */
final class AggregatedSeries {

    static final String MEASUREMENT = "function-metrics";

    final String function;
    final String outcome;
    /** {@code function-metrics,<tags sorted by key>}, the start of each of this series' lines. */
    final String linePrefix;
    /** Calls of cells before they had a histogram of their own, and of retired threads' cells. */
    private final Histogram shared = Histograms.create();

    // The writer thread's own.
    private long retiredCount;
    private long retiredNanos;
    private final long[] retiredBuckets = new long[TimeBuckets.COUNT];
    private Totals previous = new Totals();
    private Totals current = new Totals();
    /** What the last interval added: {@code current - previous} when it ended. */
    final Totals interval = new Totals();

    AggregatedSeries(TimedFunction function, String outcome, HostIdentity host) {
        this.function = function.function();
        this.outcome = outcome;
        Map<String, String> tags = new TreeMap<>(function.tags());
        tags.put("function", function.function());
        tags.put("hostname", host.hostname());
        tags.put("outcome", outcome);
        tags.put("process", host.process());
        StringBuilder prefix = LineProtocol.appendMeasurement(new StringBuilder(), MEASUREMENT);
        tags.forEach((key, value) -> LineProtocol.appendName(LineProtocol.appendName(prefix.append(','), key).append('='), value));
        this.linePrefix = prefix.toString();
    }

    /** Any thread: a call of a cell that has no histogram of its own yet. */
    void recordShared(long nanos) {
        synchronized (shared) {
            Histograms.record(shared, nanos);
        }
    }

    /** Writer: starts this interval's totals from what retired threads and shared histograms hold. */
    void beginTotals() {
        Totals totals = current;
        totals.count = retiredCount;
        totals.nanos = retiredNanos;
        System.arraycopy(retiredBuckets, 0, totals.buckets, 0, retiredBuckets.length);
        totals.histogram.reset();
        synchronized (shared) {
            totals.histogram.add(shared);
        }
    }

    /** Calls of this series' threads that have ended; read by the writer, or once it has ended. */
    long retiredCount() {
        return retiredCount;
    }

    /** Writer: the totals being built, for the live cells to add to. */
    Totals currentTotals() {
        return current;
    }

    /**
     * Writer: a dead thread's cell, read for the last time, becomes part of the retired totals (and
     * its histogram, if it has one, of the shared one). Allocates nothing: short-lived threads end
     * by the thousand a second in some applications.
     */
    void retire(CallCell cell) {
        retiredCount += cell.count();
        retiredNanos += cell.nanos();
        cell.addBucketsTo(retiredBuckets);
        Histogram own = cell.histogram();
        if (own != null) {
            synchronized (shared) {
                shared.add(own);
            }
        }
    }

    /**
     * Writer: the totals are complete; {@link #interval} becomes what was added since the last
     * call. Each count read now is at least what was read then (cells only add), so the
     * difference is never negative.
     */
    void endTotals() {
        Totals now = current;
        interval.count = now.count - previous.count;
        interval.nanos = now.nanos - previous.nanos;
        for (int i = 0; i < TimeBuckets.COUNT; i++) {
            interval.buckets[i] = now.buckets[i] - previous.buckets[i];
        }
        interval.histogram.reset();
        interval.histogram.add(now.histogram);
        interval.histogram.subtract(previous.histogram);
        current = previous;
        previous = now;
    }

    /** Counts, sum, buckets and histogram of calls: cumulative, or an interval's. */
    static final class Totals {
        long count;
        long nanos;
        final long[] buckets = new long[TimeBuckets.COUNT];
        final Histogram histogram = Histograms.create();
    }
}

package io.rawmetrics.internal.aggregate;

import io.rawmetrics.internal.buffer.RequestTime;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The aggregates of the calls that ended in one interval, {@code [startWall, endWall)} in wall-clock
 * nanoseconds: per series a count, the sum of the durations, the workshop's buckets and an
 * HdrHistogram; for the process its requests (the outermost calls), per thread too, and the server
 * and queue times the application reported.
 *
 * <p>Built by the writer thread as it reads the calls ({@link OpenIntervals}), or, for calls that
 * found the buffer full, by the recording threads under the {@link Aggregator}'s lock. Recycled
 * once its points are built: its histograms are reset, not made again.
 */
final class Interval {

    long startWall;
    long endWall;
    /** Calls counted in {@link #series}. */
    long calls;
    /** By {@link AggregatedSeries#index}; null for a series with no call here yet. */
    private Totals[] series = new Totals[8];
    final RequestTotals requests = new RequestTotals();
    /** Requests per thread that made any here. */
    final Map<Thread, long[]> requestsByThread = new IdentityHashMap<>();

    Interval(long startWall, long endWall) {
        this.startWall = startWall;
        this.endWall = endWall;
    }

    /** One call of {@code series} that took {@code nanos}, in the span {@code span} (or {@code null}). */
    void add(AggregatedSeries of, long nanos, Object span) {
        totals(of).record(nanos, span);
        calls++;
    }

    /** One request of {@code thread} ({@code null} if not known) that took {@code nanos}; returns its thread's count. */
    long[] request(Thread thread, long nanos) {
        requests.request(nanos);
        long[] count = requestsByThread.computeIfAbsent(thread, t -> new long[1]);
        count[0]++;
        return count;
    }

    /** Totals of {@code of}, made on its first call. */
    Totals totals(AggregatedSeries of) {
        int i = of.index;
        if (i >= series.length) {
            series = Arrays.copyOf(series, Math.max(i + 1, 2 * series.length));
        }
        Totals totals = series[i];
        if (totals == null) {
            totals = new Totals();
            series[i] = totals;
        }
        return totals;
    }

    /** The totals of {@code of}, or {@code null} if it had no call here. */
    Totals totalsOrNull(AggregatedSeries of) {
        int i = of.index;
        Totals totals = i < series.length ? series[i] : null;
        return totals != null && totals.count > 0 ? totals : null;
    }

    /** Adds everything {@code other} counted to this interval. */
    void addAll(Interval other) {
        for (int i = 0; i < other.series.length; i++) {
            Totals theirs = other.series[i];
            if (theirs != null && theirs.count > 0) {
                if (i >= series.length) {
                    series = Arrays.copyOf(series, Math.max(i + 1, 2 * series.length));
                }
                if (series[i] == null) {
                    series[i] = new Totals();
                }
                series[i].add(theirs);
            }
        }
        calls += other.calls;
        requests.add(other.requests);
        other.requestsByThread.forEach((thread, count) ->
                requestsByThread.computeIfAbsent(thread, t -> new long[1])[0] += count[0]);
    }

    /** Empties this interval for reuse as {@code [startWall, endWall)}; keeps its histograms. */
    void reset(long startWall, long endWall) {
        this.startWall = startWall;
        this.endWall = endWall;
        calls = 0;
        for (Totals totals : series) {
            if (totals != null) {
                totals.reset();
            }
        }
        requests.reset();
        requestsByThread.clear();
    }

    /**
     * Count, sum, buckets and histogram of one series' calls, and its exemplar: the slowest of its
     * calls that ran in a traced span, whose trace a dashboard can link to.
     */
    static final class Totals {
        long count;
        long nanos;
        final long[] buckets = new long[TimeBuckets.COUNT];
        final Histogram histogram = Histograms.create();
        /** The span context of the slowest call made in one, or null; and how long that call took. */
        Object exemplarSpan;
        long exemplarNanos;

        void record(long duration, Object span) {
            count++;
            nanos += duration;
            buckets[TimeBuckets.index(duration)]++;
            Histograms.record(histogram, duration);
            if (span != null && (exemplarSpan == null || duration > exemplarNanos)) {
                exemplarSpan = span;
                exemplarNanos = duration;
            }
        }

        void add(Totals other) {
            count += other.count;
            nanos += other.nanos;
            for (int i = 0; i < TimeBuckets.COUNT; i++) {
                buckets[i] += other.buckets[i];
            }
            histogram.add(other.histogram);
            if (other.exemplarSpan != null && (exemplarSpan == null || other.exemplarNanos > exemplarNanos)) {
                exemplarSpan = other.exemplarSpan;
                exemplarNanos = other.exemplarNanos;
            }
        }

        void reset() {
            if (count > 0) {
                count = 0;
                nanos = 0;
                Arrays.fill(buckets, 0);
                histogram.reset();
                exemplarSpan = null;
                exemplarNanos = 0;
            }
        }
    }

    /** The process's requests and reported times. */
    static final class RequestTotals {
        long requests;
        long requestNanos;
        final long[] requestBuckets = new long[TimeBuckets.COUNT];
        long serverTimes;
        long serverNanos;
        final long[] serverBuckets = new long[TimeBuckets.COUNT];
        long queueTimes;
        long queueNanos;
        final long[] queueBuckets = new long[TimeBuckets.COUNT];

        void request(long nanos) {
            requests++;
            requestNanos += nanos;
            requestBuckets[TimeBuckets.index(nanos)]++;
        }

        void time(RequestTime kind, long nanos) {
            if (kind == RequestTime.SERVER) {
                serverTimes++;
                serverNanos += nanos;
                serverBuckets[TimeBuckets.index(nanos)]++;
            } else {
                queueTimes++;
                queueNanos += nanos;
                queueBuckets[TimeBuckets.index(nanos)]++;
            }
        }

        void add(RequestTotals other) {
            requests += other.requests;
            requestNanos += other.requestNanos;
            serverTimes += other.serverTimes;
            serverNanos += other.serverNanos;
            queueTimes += other.queueTimes;
            queueNanos += other.queueNanos;
            for (int i = 0; i < TimeBuckets.COUNT; i++) {
                requestBuckets[i] += other.requestBuckets[i];
                serverBuckets[i] += other.serverBuckets[i];
                queueBuckets[i] += other.queueBuckets[i];
            }
        }

        void reset() {
            requests = 0;
            requestNanos = 0;
            serverTimes = 0;
            serverNanos = 0;
            queueTimes = 0;
            queueNanos = 0;
            Arrays.fill(requestBuckets, 0);
            Arrays.fill(serverBuckets, 0);
            Arrays.fill(queueBuckets, 0);
        }
    }
}

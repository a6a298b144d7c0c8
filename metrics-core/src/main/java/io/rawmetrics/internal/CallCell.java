package io.rawmetrics.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.HdrHistogram.Histogram;

/**
 * One thread's aggregates of one function and outcome since the recorder started: a count, the
 * sum of the durations, the workshop's buckets and an HdrHistogram. Written only by its thread,
 * with plain stores and one release store of the count per call; the writer thread reads it,
 * count first, and never writes it. Every field only grows, so what the writer reads at the end
 * of an interval, minus what it read at the end of the one before, is what the interval added.
 *
 * <p>A cell's first {@value #CALLS_BEFORE_OWN_HISTOGRAM} calls go to a histogram shared by the
 * function's cells, under its lock: a thread that calls a function a few times and ends (a
 * virtual thread per request) must not each cost a histogram of its own ({@link Histograms#FOOTPRINT_BYTES}).
 */
final class CallCell {

    static final int CALLS_BEFORE_OWN_HISTOGRAM = 256;

    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(CallCell.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final AggregatedSeries series;
    @SuppressWarnings("unused") // written through COUNT
    private long count;
    private long nanos;
    private final long[] buckets = new long[TimeBuckets.COUNT];
    /** Null until the cell has had its first calls counted in the series' shared histogram. */
    private Histogram histogram;

    CallCell(AggregatedSeries series) {
        this.series = series;
    }

    /** Owner thread only: one call of {@code duration} nanoseconds, in bucket {@code bucket}. */
    void record(long duration, int bucket) {
        long calls = count;
        nanos += duration;
        buckets[bucket]++;
        Histogram own = histogram;
        if (own != null) {
            Histograms.record(own, duration);
        } else if (calls < CALLS_BEFORE_OWN_HISTOGRAM) {
            series.recordShared(duration);
        } else {
            own = Histograms.create();
            Histograms.record(own, duration);
            histogram = own;
        }
        COUNT.setRelease(this, calls + 1); // publishes the stores above to the writer
    }

    /** Any thread: calls counted so far. Read it before the other fields. */
    long count() {
        return (long) COUNT.getAcquire(this);
    }

    /** Adds this cell's totals so far to {@code into}; the writer thread. */
    void addTo(AggregatedSeries.Totals into) {
        into.count += count();
        into.nanos += nanos;
        addBucketsTo(into.buckets);
        Histogram own = histogram;
        if (own != null) {
            Histograms.addLive(into.histogram, own);
        }
    }

    /** The writer, after {@link #count()}: the sum of the durations counted. */
    long nanos() {
        return nanos;
    }

    /** The writer, after {@link #count()}: adds the bucket counts to {@code into}. */
    void addBucketsTo(long[] into) {
        for (int i = 0; i < buckets.length; i++) {
            into[i] += buckets[i];
        }
    }

    /** The writer, after {@link #count()}: the cell's own histogram, or null while it uses the shared one. */
    Histogram histogram() {
        return histogram;
    }
}

package io.rawmetrics.internal.aggregate;

import org.HdrHistogram.Histogram;

/**
 * The one shape of HdrHistogram the aggregated mode uses: nanoseconds from 1 ns to one hour, two
 * significant digits, so any value it reports (a percentile, the minimum, the maximum) is within
 * 1% of a value recorded (HdrHistogram's bound for two digits is 1/128). One such histogram takes
 * {@link #FOOTPRINT_BYTES} bytes, whatever is recorded in it.
 */
final class Histograms {

    /** Longer calls are recorded as one hour: the histogram's top, so that a value never throws. */
    static final long HIGHEST_NANOS = 3_600_000_000_000L;
    static final int SIGNIFICANT_DIGITS = 2;
    static final int FOOTPRINT_BYTES = create().getEstimatedFootprintInBytes();

    private Histograms() {
    }

    static Histogram create() {
        return new Histogram(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    }

    /** Records a duration, cut to the histogram's range. */
    static void record(Histogram histogram, long nanos) {
        histogram.recordValue(nanos < 0 ? 0 : Math.min(nanos, HIGHEST_NANOS));
    }
}

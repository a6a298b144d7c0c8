package io.rawmetrics.internal.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The histogram's size and precision, as configuration.md and schema.md state them. */
class HistogramsTest {

    @Test
    void aHistogramTakesAbout37KilobytesWhateverItHolds() {
        assertEquals(37_376, Histograms.FOOTPRINT_BYTES);
        Histogram full = Histograms.create();
        for (long nanos = 1; nanos < Histograms.HIGHEST_NANOS; nanos *= 3) {
            Histograms.record(full, nanos);
        }
        assertEquals(Histograms.FOOTPRINT_BYTES, full.getEstimatedFootprintInBytes());
    }

    @Test
    void everyValueItReportsIsWithinOnePercentOfTheValueRecorded() {
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            long nanos = (long) Math.exp(random.nextDouble() * Math.log(Histograms.HIGHEST_NANOS));
            Histogram one = Histograms.create();
            Histograms.record(one, nanos);
            assertTrue(Math.abs(one.getValueAtPercentile(50) - nanos) <= nanos / 100, nanos + " read as " + one.getValueAtPercentile(50));
        }
    }

    @Test
    void durationsBeyondTheRangeAreCountedAtItsEnds() {
        Histogram h = Histograms.create();
        Histograms.record(h, -5);
        Histograms.record(h, Long.MAX_VALUE);
        assertEquals(2, h.getTotalCount());
        assertEquals(0, h.getMinValue());
        assertTrue(h.getMaxValue() >= Histograms.HIGHEST_NANOS);
    }
}

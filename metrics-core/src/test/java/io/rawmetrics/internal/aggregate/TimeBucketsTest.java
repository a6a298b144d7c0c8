package io.rawmetrics.internal.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The buckets are mod_wsgi's: up to 5 ms, then (lower, 2 x lower], labelled by the lower bound. */
class TimeBucketsTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0.0", "4999999, 0.0", "5000000, 0.0",
            "5000001, 0.005", "10000000, 0.005",
            "10000001, 0.01", "20000000, 0.01",
            "20000001, 0.02", "30000000, 0.02",
            "640000001, 0.64", "1280000000, 0.64",
            "40960000001, 40.96", "81920000000, 40.96",
            "81920000001, inf", "3600000000000, inf", "9223372036854775807, inf",
    })
    void aDurationFallsInTheBucketMod_wsgiPutsItIn(long nanos, String label) {
        assertEquals(label, TimeBuckets.LABELS[TimeBuckets.index(nanos)]);
    }
}

package io.rawmetrics.internal.aggregate;

/**
 * The workshop's 16 response-time buckets, as mod_wsgi fills them and hello-world-v7 labels them:
 * bucket 0 holds times up to 5 ms, bucket {@code i} times in (5 ms × 2<sup>i-1</sup>, 5 ms × 2<sup>i</sup>],
 * and the tag of a bucket is its lower bound as Python prints it ({@code 0.0}, {@code 0.005},
 * {@code 0.01}, ... {@code 40.96}), the last one {@code inf}.
 *
 * <p>One difference, on purpose: mod_wsgi stops doubling at bucket 14 and puts every time above
 * 40.96 s there, so its {@code inf} bucket is always 0; here bucket 14 ends at 81.92 s and
 * {@code inf} holds the longer times.
 */
final class TimeBuckets {

    static final int COUNT = 16;

    /** The {@code time_bucket} tag values, as the workshop's Python writes them. */
    static final String[] LABELS = {"0.0", "0.005", "0.01", "0.02", "0.04", "0.08", "0.16", "0.32", "0.64",
            "1.28", "2.56", "5.12", "10.24", "20.48", "40.96", "inf"};

    private static final long FIRST_NANOS = 5_000_000L;

    private TimeBuckets() {
    }

    /** The bucket of a duration: O(1), no loop, for the caller's thread. */
    static int index(long nanos) {
        if (nanos <= FIRST_NANOS) {
            return 0;
        }
        // (nanos - 1) / 5 ms is 1 for (5 ms, 10 ms], 2-3 for (10 ms, 20 ms], ...: its bit length is the bucket.
        return Math.min(COUNT - 1, 64 - Long.numberOfLeadingZeros((nanos - 1) / FIRST_NANOS));
    }
}

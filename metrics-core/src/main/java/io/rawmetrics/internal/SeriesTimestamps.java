package io.rawmetrics.internal;

/**
 * The timestamps already given to points of each series, so that no two points of a series get
 * the same one: InfluxDB keeps one point per series and timestamp, and a second silently replaces
 * the first. Owned by the writer thread.
 *
 * <p><b>Why a set, and not the last timestamp of each series.</b> The writer drains one thread's
 * buffer after another, so the calls of a series do not reach the encoder in the order they
 * ended: thread A's calls of the last second, then thread B's calls of the same second. Moving
 * each point past the series' last timestamp (as this library once did) pushed every point of B
 * past A's last one: under 8 threads, 87% of points were 1 ns after the one before, and up to
 * 520 ms late. Here a point keeps its real completion time unless that very nanosecond is taken in
 * its series; only then is it moved, by one nanosecond per point already there.
 *
 * <p><b>What it remembers, and for how long.</b> An open-addressing table of (series, timestamp)
 * pairs. Entries older than the {@linkplain #forgetBefore horizon} are dropped when the table fills:
 * the writer moves the horizon to the start of its last complete pass over the buffers, less a
 * margin for a call whose thread was descheduled between reading the clock and storing the call
 * ({@link Pipeline}), because no call that ended before then can still come. The table therefore
 * holds the points of about one pass plus that margin, and grows only while a backlog is drained.
 */
final class SeriesTimestamps {

    private static final long EMPTY = Long.MIN_VALUE;
    private static final int MIN_PAIRS = 1 << 12;

    /** {@code [2i]} a timestamp ({@link #EMPTY} if the slot is free), {@code [2i + 1]} its series. */
    private long[] slots = emptySlots(MIN_PAIRS);
    private int mask = MIN_PAIRS - 1;
    private int size;
    private long horizon = Long.MIN_VALUE;
    private long moved;

    /**
     * Takes the first free timestamp of {@code series} at or after {@code from} and returns it.
     * {@code from} is {@code timestamp}, the point's real completion time, unless the caller knows
     * that every nanosecond from there to {@code from} is taken already: a run of equal completion
     * times (a clock coarser than a nanosecond) then starts after the run's last point instead of
     * probing the whole run again for each point.
     */
    long claim(int series, long timestamp, long from) {
        long t = from;
        if (size >= (mask + 1) >>> 1) {
            makeRoom();
        }
        long[] table = slots;
        int m = mask;
        int i = index(series, t, m);
        while (true) {
            long taken = table[2 * i];
            if (taken == EMPTY) {
                table[2 * i] = t;
                table[2 * i + 1] = series;
                size++;
                if (t != timestamp) {
                    moved++;
                }
                return t;
            }
            if (taken == t && table[2 * i + 1] == series) {
                t++; // that nanosecond is taken in this series: try the next one
                i = index(series, t, m);
            } else {
                i = (i + 1) & m;
            }
        }
    }

    /**
     * Timestamps before {@code wallNanos} will not be asked for again (a call that ended then has
     * been drained already): their entries may be dropped.
     */
    void forgetBefore(long wallNanos) {
        horizon = Math.max(horizon, wallNanos);
    }

    /** Points moved off their real completion time because it was taken in their series. */
    long moved() {
        return moved;
    }

    /** Entries held, for tests. */
    int size() {
        return size;
    }

    /** The table is half full: drops what is older than the horizon, then resizes to fit what is left. */
    private void makeRoom() {
        long[] old = slots;
        int kept = 0;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != EMPTY && old[i] >= horizon) {
                kept++;
            }
        }
        int pairs = MIN_PAIRS;
        while (kept >= pairs >>> 2) { // at most a quarter full after the move: room to grow before the next
            pairs <<= 1;
        }
        long[] table = emptySlots(pairs);
        int m = pairs - 1;
        for (int i = 0; i < old.length; i += 2) {
            long t = old[i];
            if (t != EMPTY && t >= horizon) {
                int j = index((int) old[i + 1], t, m);
                while (table[2 * j] != EMPTY) {
                    j = (j + 1) & m;
                }
                table[2 * j] = t;
                table[2 * j + 1] = old[i + 1];
            }
        }
        slots = table;
        mask = m;
        size = kept;
    }

    private static int index(int series, long timestamp, int mask) {
        long h = (timestamp + series * 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 31)) & mask;
    }

    private static long[] emptySlots(int pairs) {
        long[] table = new long[2 * pairs];
        for (int i = 0; i < table.length; i += 2) {
            table[i] = EMPTY;
        }
        return table;
    }
}

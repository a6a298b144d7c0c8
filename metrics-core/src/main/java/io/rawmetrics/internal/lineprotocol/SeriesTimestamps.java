package io.rawmetrics.internal.lineprotocol;

/**
 * The timestamps already given to points of each series, so that no two points of a series get
 * the same one: InfluxDB keeps one point per series and timestamp, and a second silently replaces
 * the first. Owned by the writer thread.
 *
 * <p><b>Why a set, and not the last timestamp of each series.</b> The writer drains one thread's
 * buffer after another, so the calls of a series do not reach the encoder in the order they
 * ended: thread A's calls of the last second, then thread B's calls of the same second. Moving
 * each point past the series' last timestamp would push every point of B past A's last one, far
 * from its true time (docs/performance.md, "Every call at its true time"). Here a point keeps its real completion time unless that very nanosecond is taken in
 * its series; only then is it moved, by one nanosecond per point already there.
 *
 * <p><b>What it remembers, and for how long.</b> The writer tells it the {@linkplain #forgetBefore
 * horizon}: the earliest time a call still to come can have ended, but for a call whose thread was
 * stopped for a while between reading the clock and storing the call ({@link io.rawmetrics.internal.writer.Pipeline}). Timestamps
 * before the horizon are forgotten. A point whose completion time is before the horizon (such a
 * late call) is therefore not checked against them: it goes after the newest timestamp of its
 * series, which is surely free, and is late by about as long as its thread was stopped. Every
 * other point keeps its time. So no two points of a series ever share a timestamp, and memory is
 * bounded by the points since the horizon, not by an outage or a backlog's length.
 *
 * <p>The timestamps are kept in open-addressing tables of (series, timestamp) pairs, each pair one
 * 8-byte word ({@link #key}), in two generations: new ones go into the young table; when it is a
 * quarter full it becomes the old one, and the old one is cleared for reuse, provided every
 * timestamp in it is before the horizon. If not (a backlog is being drained), the young table
 * doubles instead. Clearing a table is a run of stores, a few per timestamp claimed, far cheaper
 * than rebuilding a table to drop its old entries (docs/performance.md, "The figures behind the
 * code's choices").
 */
final class SeriesTimestamps {

    /** A free slot: no pair's {@link #key} is 0. */
    private static final long EMPTY = 0;
    /**
     * A pair's word: the timestamp's low 44 bits (4.9 hours) above 20 bits of the series' number
     * plus one (numbers taken modulo 2^19), so that a cache line holds eight pairs, not four, and
     * the tables are half the size. Two pairs share a word only if their series' numbers
     * differ by a multiple of 524,288 or their timestamps by a multiple of 2^44 ns to the
     * nanosecond: then a point would be moved one nanosecond more than it needed, and never given
     * a timestamp already taken.
     */
    private static final int SERIES_BITS = 20;
    private static final int SERIES_NUMBER_MASK = (1 << (SERIES_BITS - 1)) - 1;
    private static final int MIN_PAIRS = 1 << 12;
    /** A block of slots covers 2^9 = 512 ns of a group of series, a slot 2^5 = 32 ns of it: see {@link #index}. */
    private static final int BLOCK_NANOS_BITS = 9;
    private static final int SLOT_NANOS_BITS = 5;
    private static final int BLOCK_SLOTS = 1 << (BLOCK_NANOS_BITS - SLOT_NANOS_BITS);
    /** Eight series with neighbouring numbers share their blocks, each from its own slot (a stride of two apart). */
    private static final int SERIES_PER_BLOCK_BITS = 3;
    private static final int SERIES_SLOT_STRIDE = BLOCK_SLOTS >>> SERIES_PER_BLOCK_BITS;
    /**
     * The largest table: 4 MiB, 131,072 timestamps at most (a young and an old one: 8 MiB, only
     * while a backlog is drained with the horizon standing still).
     */
    private static final int MAX_PAIRS = 1 << 19;

    private Generation young = new Generation(MIN_PAIRS);
    private Generation old = new Generation(MIN_PAIRS);
    private long horizon = Long.MIN_VALUE;
    /** The newest timestamp given to each series so far, by series number. */
    private long[] newestOf = newestOf(new long[0], 16);
    private long moved;
    private long late;

    /**
     * Takes the first free timestamp of {@code series} at or after {@code from} and returns it.
     * {@code from} is {@code timestamp}, the point's real completion time, unless the caller knows
     * that every nanosecond from there to {@code from} is taken already: a run of equal completion
     * times (a clock coarser than a nanosecond) then starts after the run's last point instead of
     * probing the whole run again for each point.
     */
    long claim(int series, long timestamp, long from) {
        if (series >= newestOf.length) {
            newestOf = newestOf(newestOf, Math.max(2 * newestOf.length, series + 1));
        }
        Generation y = young;
        if (y.size >= (y.mask + 1) >>> 2) {
            y = makeRoom();
        }
        long t = from;
        if (t < horizon) { // a late call: its nanosecond may be taken by a point already forgotten
            t = Math.max(t, newestOf[series] + 1);
            late++;
        }
        while (true) {
            long key = key(series, t);
            int free = y.freeSlotOrTaken(key);
            // The old generation holds only timestamps up to its newest: most points are past it.
            if (free >= 0 && (t > old.newest || !old.holds(key))) {
                y.put(free, key, t);
                newestOf[series] = Math.max(newestOf[series], t);
                if (t != timestamp) {
                    moved++;
                }
                return t;
            }
            t++; // that nanosecond is taken in this series: try the next one
        }
    }

    /**
     * Timestamps before {@code wallNanos} will not be asked for again (a call that ended then has
     * been drained already): their entries may be dropped.
     */
    void forgetBefore(long wallNanos) {
        horizon = Math.max(horizon, wallNanos);
    }

    /** Points moved off their real completion time: because it was taken in their series, or they came late. */
    long moved() {
        return moved;
    }

    /** Points whose completion time was before the horizon when they came. */
    long late() {
        return late;
    }

    /** Timestamps remembered, for tests. */
    int size() {
        return young.size + old.size;
    }

    private static long[] newestOf(long[] known, int length) {
        long[] grown = java.util.Arrays.copyOf(known, length);
        java.util.Arrays.fill(grown, known.length, length, Long.MIN_VALUE);
        return grown;
    }

    /**
     * The young generation is a quarter full (a table that holds runs of nearby timestamps in
     * nearby slots needs more room around them than one that scatters them: 1.75 probes a claim
     * at a quarter, 4.5 at a half, in the 100,000 calls a second of docs/performance.md): it
     * becomes the old one, or grows while the old one is still needed, up to {@link #MAX_PAIRS}.
     * Past that, the old one is forgotten all the same (the horizon moves past it): a call that comes later with a time in it is written as a late one.
     * The writer drains its buffers in step in time, so only a thread stopped for longer than a
     * buffer's worth of other threads' calls can meet that.
     */
    private Generation makeRoom() {
        Generation full = young;
        if (old.newest >= horizon && full.mask + 1 >= MAX_PAIRS) {
            horizon = old.newest + 1;
        }
        if (old.newest < horizon) {
            // Every timestamp in the old table is before the horizon. The next young table is the
            // size this one is: the size the current rate needs, after a backlog too.
            Generation next = old;
            if (next.mask == full.mask) {
                next.clear();
            } else {
                next = new Generation(full.mask + 1);
            }
            old = full;
            young = next;
        } else {
            young = full.doubled();
        }
        return young;
    }

    /** The word of a pair: see {@link #SERIES_BITS}. */
    private static long key(int series, long timestamp) {
        return (timestamp << SERIES_BITS) | ((series & SERIES_NUMBER_MASK) + 1);
    }

    /** One open-addressing table of pairs' {@linkplain #key words}, {@link #EMPTY} where free. */
    private static final class Generation {
        long[] slots;
        int mask;
        /** 64 minus the table's bits: see {@link SeriesTimestamps#index}. */
        int shift;
        int size;
        /** The largest timestamp in the table. */
        long newest = Long.MIN_VALUE;

        Generation(int pairs) {
            slots = new long[pairs];
            mask = pairs - 1;
            shift = 64 - Integer.numberOfTrailingZeros(pairs);
            clear();
        }

        /** The free slot where the pair {@code key} would go, or -1 if it is there already. */
        int freeSlotOrTaken(long key) {
            long[] table = slots;
            int i = index(key, shift, mask);
            while (true) {
                long taken = table[i];
                if (taken == EMPTY) {
                    return i;
                }
                if (taken == key) {
                    return -1;
                }
                i = (i + 1) & mask;
            }
        }

        boolean holds(long key) {
            return size > 0 && freeSlotOrTaken(key) < 0;
        }

        void put(int slot, long key, long t) {
            slots[slot] = key;
            size++;
            newest = Math.max(newest, t);
        }

        void clear() {
            java.util.Arrays.fill(slots, EMPTY);
            size = 0;
            newest = Long.MIN_VALUE;
        }

        /** A table of twice the size holding the same timestamps. */
        Generation doubled() {
            Generation bigger = new Generation(2 * (mask + 1));
            for (long key : slots) {
                if (key != EMPTY) {
                    bigger.put(bigger.freeSlotOrTaken(key), key, Long.MIN_VALUE);
                }
            }
            bigger.newest = newest;
            return bigger;
        }
    }

    /**
     * Where a timestamp's probe starts. The calls the writer encodes come in runs that are close in
     * time (a buffer's chunk, then another thread's chunk of the same moments), so nearby
     * timestamps are put in nearby slots: each 512 ns of a group of eight series with neighbouring
     * numbers is a block of 16 slots, one per 32 ns, each series of the group starting two slots
     * after the previous one, and only the block is placed at random in the table. A run of calls
     * then probes a few cache lines, not one line per call anywhere in a table of hundreds of
     * kilobytes, which the writer, woken some twenty times a second on cores it shares with the
     * application, finds cold: a miss per call was about a quarter of its time at 100,000 calls a
     * second (docs/performance.md, "Every call at its true time"). A group of eight, not one
     * series: a tagged method's calls, or a thread's few functions, alternate between series call
     * by call, and with a block per series each of their points found its line cold
     * (docs/performance.md, tags). The block's place is Fibonacci hashing, one multiplication and
     * the product's top bits; a stronger mix (MurmurHash3's finalizer) puts three multiplications
     * on the critical path of every claim (same page, "The figures behind the code's choices").
     */
    private static int index(long key, int shift, int mask) {
        long timestamp = key >>> SERIES_BITS; // its low 44 bits: the index is the word's alone, so that a doubled table can place it
        long series = key & ((1 << SERIES_BITS) - 1);
        int block = (int) ((((timestamp >>> BLOCK_NANOS_BITS) + (series >>> SERIES_PER_BLOCK_BITS) * 0x632BE59BD9B4E019L)
                * 0x9E3779B97F4A7C15L) >>> shift);
        int slot = (int) ((timestamp >>> SLOT_NANOS_BITS) + (series & ((1 << SERIES_PER_BLOCK_BITS) - 1)) * SERIES_SLOT_STRIDE);
        return (block + (slot & (BLOCK_SLOTS - 1))) & mask;
    }
}

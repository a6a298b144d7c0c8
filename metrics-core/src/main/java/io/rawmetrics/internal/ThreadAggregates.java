package io.rawmetrics.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One thread's side of the aggregated mode: how deep it is in timed calls, its cells (one per
 * function and outcome it has called) and its requests. A <em>request</em> is a timed call that
 * no other timed call on the same thread encloses: the outermost one.
 *
 * <p>Same contract as {@link CallCell}: only the owner writes, with plain stores published by a
 * release store of a count; the writer thread reads, counts first. Nothing here allocates on the
 * hot path once a thread has met a function.
 */
final class ThreadAggregates {

    private static final VarHandle REQUESTS;
    private static final VarHandle SERVER_TIMES;
    private static final VarHandle QUEUE_TIMES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            REQUESTS = lookup.findVarHandle(ThreadAggregates.class, "requests", long.class);
            SERVER_TIMES = lookup.findVarHandle(ThreadAggregates.class, "serverTimes", long.class);
            QUEUE_TIMES = lookup.findVarHandle(ThreadAggregates.class, "queueTimes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread owner;
    private final Aggregator aggregator;
    /** Timed calls under way on this thread. */
    private int depth;
    private Object lastSite;
    private SiteCells lastCells;
    private final Map<Object, SiteCells> sites = new IdentityHashMap<>();
    /** Every cell of this thread; replaced, never changed, when one is added, so the writer can read it any time. */
    private volatile CallCell[] cells = new CallCell[0];

    @SuppressWarnings("unused") // written through REQUESTS
    private long requests;
    private long requestNanos;
    final long[] requestBuckets = new long[TimeBuckets.COUNT];
    @SuppressWarnings("unused") // written through SERVER_TIMES
    private long serverTimes;
    private long serverNanos;
    final long[] serverBuckets = new long[TimeBuckets.COUNT];
    @SuppressWarnings("unused") // written through QUEUE_TIMES
    private long queueTimes;
    private long queueNanos;
    final long[] queueBuckets = new long[TimeBuckets.COUNT];

    /** The writer's own: requests read at the end of the last interval. */
    long requestsAtLastInterval;

    ThreadAggregates(Thread owner, Aggregator aggregator) {
        this.owner = owner;
        this.aggregator = aggregator;
    }

    /** A timed call starts. */
    void enter() {
        depth++;
    }

    /** A call {@link #enter}ed on this thread ends here: counted, and handed on to be written raw if its mode says so. */
    void exit(Object site, long startNanos, long endNanos, Object error) {
        if (record(site, startNanos, endNanos, error, leave())) {
            aggregator.pipeline().record(site, startNanos, endNanos, error);
        }
    }

    /**
     * A timed call started on this thread ends here, or goes on elsewhere: whether it was the
     * outermost one. Never below zero: a call entered before this recorder started ends as one.
     */
    boolean leave() {
        int d = depth - 1;
        depth = d > 0 ? d : 0;
        return d <= 0;
    }

    /**
     * Counts a finished call; {@code request} says whether it was outermost where it started.
     *
     * @return whether the call is also to be written as a raw point
     */
    boolean record(Object site, long startNanos, long endNanos, Object error, boolean request) {
        SiteCells known = site == lastSite ? lastCells : cellsOf(site);
        long duration = endNanos - startNanos;
        int bucket = TimeBuckets.index(duration);
        if (known.ok != null) {
            (error == null ? known.ok : error == Cancelled.class ? known.cancelled() : known.error()).record(duration, bucket);
        }
        if (request) {
            long count = requests;
            requestNanos += duration;
            requestBuckets[bucket]++;
            REQUESTS.setRelease(this, count + 1);
        }
        return known.info.raw();
    }

    /** The rare path of {@link #record}: a site not the same as the last call's. */
    private SiteCells cellsOf(Object site) {
        SiteCells found = sites.get(site);
        if (found == null) {
            SiteInfo info = aggregator.siteInfo(site);
            found = new SiteCells(info, info.aggregated() ? newCell(info.ok()) : null);
            sites.put(site, found);
        }
        lastSite = site;
        lastCells = found;
        return found;
    }

    private CallCell newCell(AggregatedSeries series) {
        CallCell cell = new CallCell(series);
        CallCell[] old = cells;
        CallCell[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = cell;
        cells = grown;
        return cell;
    }

    /** A request's server time (arrival to response end), as the application reports it. */
    void serverTime(long nanos) {
        long count = serverTimes;
        serverNanos += nanos;
        serverBuckets[TimeBuckets.index(nanos)]++;
        SERVER_TIMES.setRelease(this, count + 1);
    }

    /** A request's queue time (waiting for a worker thread), as the application reports it. */
    void queueTime(long nanos) {
        long count = queueTimes;
        queueNanos += nanos;
        queueBuckets[TimeBuckets.index(nanos)]++;
        QUEUE_TIMES.setRelease(this, count + 1);
    }

    CallCell[] cells() {
        return cells;
    }

    /** Writer: requests so far. Read before {@link #requestNanos()} and the buckets. */
    long requests() {
        return (long) REQUESTS.getAcquire(this);
    }

    long requestNanos() {
        return requestNanos;
    }

    long serverTimes() {
        return (long) SERVER_TIMES.getAcquire(this);
    }

    long serverNanos() {
        return serverNanos;
    }

    long queueTimes() {
        return (long) QUEUE_TIMES.getAcquire(this);
    }

    long queueNanos() {
        return queueNanos;
    }

    /** A site as this thread knows it: what to do with its calls, and this thread's cells for it. */
    private final class SiteCells {
        final SiteInfo info;
        /** This thread's cell for the site's returning calls; null if the site is not aggregated. */
        final CallCell ok;
        private CallCell error;
        private CallCell cancelled;

        SiteCells(SiteInfo info, CallCell ok) {
            this.info = info;
            this.ok = ok;
        }

        CallCell error() {
            CallCell cell = error;
            if (cell == null) {
                cell = newCell(info.error());
                error = cell;
            }
            return cell;
        }

        CallCell cancelled() {
            CallCell cell = cancelled;
            if (cell == null) {
                cell = newCell(info.cancelled());
                cancelled = cell;
            }
            return cell;
        }
    }
}

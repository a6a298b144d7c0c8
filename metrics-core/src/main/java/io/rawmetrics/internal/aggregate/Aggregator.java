package io.rawmetrics.internal.aggregate;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.CallRecorder;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.ReleasableThreadLocal;
import io.rawmetrics.internal.SiteDescribers;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.buffer.CallBuffer;
import io.rawmetrics.internal.buffer.RequestTime;
import io.rawmetrics.internal.trace.Spans;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The recorder when some calls are aggregated ({@code rawmetrics.mode} aggregated or both, or a
 * function's mode says so). A call is stored as a raw one is, in its thread's buffer, and marked
 * {@link Nested} if another timed call on its thread encloses it (a request is the outermost one:
 * {@link CallsUnderWay}).
 * The writer thread reads it there, with every other call, in the order calls end, and counts it
 * in the interval in which it ended ({@link AggregatingSink}, {@link OpenIntervals}); whether it is
 * also written raw is the site's mode, looked up by the writer, not by the caller.
 *
 * <p>Per call, on the caller's thread: one thread-local look-up, on entry (the woven code hands
 * the thread's {@link CallsUnderWay} back at the call's end), the raw mode's stores, and one more
 * store for a nested call. Memory per thread is its buffer's, whatever the number of functions: histograms
 * exist per open interval and series, on the writer's side.
 *
 * <p>An aggregated call is never dropped: one that finds the buffer full (the writer far behind, or
 * blocked by an outage in mode {@code both}) is counted here, under a lock, and added to the next
 * interval the writer closes, so that its count stays exact, if not its interval.
 */
public final class Aggregator implements CallRecorder {

    /** Each recording thread's buffer: the pipeline's, which this recorder stores into. */
    private final ReleasableThreadLocal<CallBuffer> buffers;
    /** Each recording thread's calls under way; released with the pipeline's buffers ({@link #release}). */
    private final ReleasableThreadLocal<CallsUnderWay> threads = new ReleasableThreadLocal<>(this::register);
    /** See {@link #inheritCallsUnderWay}; read once per thread, at its first call. */
    private volatile IntSupplier callsUnderWayBefore;
    private final RawMetricsConfig config;
    private final HostIdentity host;
    /** Whether calls store the span they ran in: see the pipeline's field of that name. */
    final boolean keepsSpans;
    private final Map<Object, SiteInfo> sites = new ConcurrentHashMap<>();
    private final Map<List<Object>, AggregatedSeries> seriesByKey = new ConcurrentHashMap<>();
    private final List<AggregatedSeries> series = new CopyOnWriteArrayList<>();
    /** Calls that found the buffer full, not yet added to an interval; guarded by {@link #overflowLock}. */
    private Interval overflow = new Interval(0, 0);
    private final Object overflowLock = new Object();
    /** Calls that ever found the buffer full; written under {@link #overflowLock}. */
    private volatile long overflowed;
    /** Set by the application, for every recorder: see {@link io.rawmetrics.RequestMetrics#requestThreadsMaximum}. */
    private static volatile int requestThreadsMaximum;

    public Aggregator(ReleasableThreadLocal<CallBuffer> buffers, RawMetricsConfig config, HostIdentity host,
            boolean keepsSpans) {
        this.keepsSpans = keepsSpans;
        this.buffers = buffers;
        this.config = config;
        this.host = host;
    }

    @Override
    public Object entered() {
        CallsUnderWay calls = threads.get();
        calls.enter();
        return calls;
    }

    /** A call that was not {@link #entered()} here ends: a request. */
    @Override
    public void record(Object site, long startNanos, long endNanos, Object errorClass) {
        threads.get().exit(site, startNanos, endNanos, errorClass);
    }

    @Override
    public boolean leftPending() {
        return threads.get().leave();
    }

    @Override
    public Object currentSpan() {
        return keepsSpans ? Spans.current() : null;
    }

    @Override
    public void recordLater(Object site, long startNanos, long endNanos, Object errorClass, boolean request, Object span) {
        threads.get().store(site, startNanos, endNanos, errorClass, request, keepsSpans ? span : null);
    }

    /** See {@link io.rawmetrics.RequestMetrics#serverTime}. */
    public void serverTime(long nanos) {
        long end = System.nanoTime();
        threads.get().appendMark(RequestTime.SERVER, end - Math.max(0, nanos), end);
    }

    /** See {@link io.rawmetrics.RequestMetrics#queueTime}. */
    public void queueTime(long nanos) {
        long end = System.nanoTime();
        threads.get().appendMark(RequestTime.QUEUE, end - Math.max(0, nanos), end);
    }

    /**
     * Before this recorder takes the calls: {@code before} tells each thread, at its first call
     * here, how many calls it still has under way in the recorder this one replaces (and lets go
     * of them there), so that a call they make counts as nested, not as a request.
     */
    public void inheritCallsUnderWay(IntSupplier before) {
        this.callsUnderWayBefore = before;
    }

    /** A thread's first call. */
    private CallsUnderWay register() {
        IntSupplier before = callsUnderWayBefore;
        return new CallsUnderWay(this, buffers.get(), before != null ? before.getAsInt() : 0);
    }

    /** The pipeline stops: no thread keeps its state here (see {@link ReleasableThreadLocal}). */
    public void release() {
        threads.release();
    }

    /** See {@link io.rawmetrics.RequestMetrics#requestThreadsMaximum}. */
    public static void requestThreadsMaximum(int threads) {
        requestThreadsMaximum = threads;
    }

    static int requestThreadsMaximum() {
        return requestThreadsMaximum;
    }

    /**
     * The rare path: a call found {@code buffer} full. Counted here if aggregated, so it is not lost;
     * if it is not also to be written raw, it is not a dropped call either.
     */
    void overflowed(CallBuffer buffer, Object site, long startNanos, long endNanos, Object error, boolean request,
            Object span) {
        SiteInfo info = siteInfo(site);
        if (!info.raw()) {
            buffer.uncountDrop();
        }
        long nanos = endNanos - startNanos;
        synchronized (overflowLock) {
            if (info.aggregated()) {
                overflow.add(info.series(error), nanos, span);
                overflowed++;
            }
            if (request) {
                overflow.request(Thread.currentThread(), nanos);
            }
        }
    }

    /** Writer: moves the calls that found the buffer full into {@code interval}. */
    void takeOverflow(Interval interval) {
        synchronized (overflowLock) {
            if (overflow.calls > 0 || overflow.requests.requests > 0) {
                interval.addAll(overflow);
                overflow = new Interval(0, 0); // the rare path's histograms are not kept
            }
        }
    }

    /** Aggregated calls that found the buffer full, ever. */
    public long overflowed() {
        return overflowed;
    }

    /** A site's mode and series, worked out once for all threads. */
    SiteInfo siteInfo(Object site) {
        SiteInfo info = sites.get(site);
        if (info == null) {
            info = sites.computeIfAbsent(site, this::describe);
        }
        return info;
    }

    private SiteInfo describe(Object site) {
        TimedFunction function;
        try {
            function = SiteDescribers.describe(site);
        } catch (RuntimeException e) {
            function = null; // the raw encoder reports it, naming the bad value, and counts its calls
        }
        return new SiteInfo(this, function, function == null ? null : config.modeOf(function.function()));
    }

    /** The series of a function and outcome: one per function tag value and constant tags, whatever the site. */
    AggregatedSeries series(TimedFunction function, String outcome) {
        List<Object> key = List.of(function.function(), function.tags(), outcome);
        AggregatedSeries found = seriesByKey.get(key);
        if (found == null) {
            synchronized (seriesByKey) {
                found = seriesByKey.get(key);
                if (found == null) {
                    found = new AggregatedSeries(function, outcome, host, series.size());
                    series.add(found);
                    seriesByKey.put(key, found);
                }
            }
        }
        return found;
    }

    /** The writer: every series so far. */
    List<AggregatedSeries> series() {
        return series;
    }
}

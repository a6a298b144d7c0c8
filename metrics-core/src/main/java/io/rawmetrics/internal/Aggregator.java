package io.rawmetrics.internal;

import io.rawmetrics.RawMetricsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The recorder when some calls are aggregated ({@code rawmetrics.mode} aggregated or both, or a
 * function's mode says so): counts each call in its thread's {@link ThreadAggregates}, and hands
 * the calls to be written raw to the {@link Pipeline}, whose writer thread also writes the
 * aggregates at each interval's end ({@link IntervalReport}).
 *
 * <p>Per call, on the caller's thread: one thread-local look-up, on entry (the woven code hands the
 * thread's state back at the call's end), a few plain stores into the thread's own cell and one
 * release store. No lock, no CAS, no allocation, nothing that can fill up: an aggregated call is
 * never dropped. Memory grows with the number of
 * threads and functions, never with the call rate (see {@link Histograms}, {@link CallCell}).
 */
public final class Aggregator implements CallRecorder {

    private final Pipeline pipeline;
    private final RawMetricsConfig config;
    private final HostIdentity host;
    private final ThreadLocal<ThreadAggregates> local = ThreadLocal.withInitial(this::register);
    /** Every thread that has made a timed call and not been retired; guarded by itself. */
    private final List<ThreadAggregates> threads = new ArrayList<>();
    private final Map<Object, SiteInfo> sites = new ConcurrentHashMap<>();
    private final Map<List<Object>, AggregatedSeries> seriesByKey = new ConcurrentHashMap<>();
    private final List<AggregatedSeries> series = new CopyOnWriteArrayList<>();
    /** Set by the application, for every recorder: see {@link io.rawmetrics.RequestMetrics#requestThreadsMaximum}. */
    private static volatile int requestThreadsMaximum;

    Aggregator(Pipeline pipeline, RawMetricsConfig config, HostIdentity host) {
        this.pipeline = pipeline;
        this.config = config;
        this.host = host;
    }

    @Override
    public Object entered() {
        ThreadAggregates thread = local.get();
        thread.enter();
        return thread;
    }

    @Override
    public void record(Object site, long startNanos, long endNanos, Object errorClass) {
        local.get().exit(site, startNanos, endNanos, errorClass);
    }

    @Override
    public boolean leftPending() {
        return local.get().leave();
    }

    @Override
    public void recordLater(Object site, long startNanos, long endNanos, Object errorClass, boolean request) {
        if (local.get().record(site, startNanos, endNanos, errorClass, request)) {
            pipeline.record(site, startNanos, endNanos, errorClass);
        }
    }

    /** See {@link io.rawmetrics.RequestMetrics#serverTime}. */
    public void serverTime(long nanos) {
        local.get().serverTime(Math.max(0, nanos));
    }

    /** See {@link io.rawmetrics.RequestMetrics#queueTime}. */
    public void queueTime(long nanos) {
        local.get().queueTime(Math.max(0, nanos));
    }

    /** See {@link io.rawmetrics.RequestMetrics#requestThreadsMaximum}. */
    public static void requestThreadsMaximum(int threads) {
        requestThreadsMaximum = threads;
    }

    static int requestThreadsMaximum() {
        return requestThreadsMaximum;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    private ThreadAggregates register() {
        ThreadAggregates thread = new ThreadAggregates(Thread.currentThread(), this);
        synchronized (threads) {
            threads.add(thread);
        }
        return thread;
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
                found = seriesByKey.computeIfAbsent(key, k -> new AggregatedSeries(function, outcome, host));
                if (!series.contains(found)) {
                    series.add(found);
                }
            }
        }
        return found;
    }

    /** The writer: every series so far. */
    List<AggregatedSeries> series() {
        return series;
    }

    /** The writer: the threads not yet retired, as of now. */
    List<ThreadAggregates> threads() {
        synchronized (threads) {
            return new ArrayList<>(threads);
        }
    }

    /**
     * Calls counted so far, in every series: exact once the recording threads are idle and the
     * writer has ended (or from the writer itself), a snapshot otherwise.
     */
    long calls() {
        long calls = 0;
        for (AggregatedSeries s : series) {
            calls += s.retiredCount();
        }
        for (ThreadAggregates thread : threads()) {
            for (CallCell cell : thread.cells()) {
                calls += cell.count();
            }
        }
        return calls;
    }

    /** The writer: a dead thread read for the last time. */
    void forget(ThreadAggregates thread) {
        synchronized (threads) {
            threads.remove(thread);
        }
    }
}

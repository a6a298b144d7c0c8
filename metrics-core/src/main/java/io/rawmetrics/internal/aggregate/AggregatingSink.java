package io.rawmetrics.internal.aggregate;

import io.rawmetrics.internal.buffer.Chunk;
import io.rawmetrics.internal.buffer.FirstCalls;
import io.rawmetrics.internal.buffer.RequestTime;
import io.rawmetrics.internal.buffer.ThreadBuffer;
import io.rawmetrics.internal.lineprotocol.BatchEncoder;
import java.util.List;

/**
 * The writer's reading of calls when some are aggregated: each run of calls drained from a buffer
 * goes to the raw encoder if its site's mode writes it raw, and is counted, call by call, in the
 * interval in which it ended ({@link OpenIntervals}) if its mode aggregates it; an outermost call
 * (stored without {@link Nested}) also counts as a request of the thread that made it.
 * Marks stored among the calls say which thread's calls follow in a shared buffer
 * ({@link FirstCalls}) and carry the application's server and queue times ({@link RequestTime}).
 *
 * <p>A call is counted only once the raw encoder has taken it (a run may stop at a full batch and
 * be read again later), so that none is counted twice. Writer thread only; the counters are
 * volatile so that stats can be read from any thread.
 */
public final class AggregatingSink implements ThreadBuffer.CallSink {

    private final Aggregator aggregator;
    private final BatchEncoder encoder;
    private final OpenIntervals intervals;
    /** The thread whose calls are being read: set per buffer ({@link #drain}), and by a shared buffer's marks. */
    Thread thread;
    /** Whether raw calls stay in their buffer, not taken ({@link #whileRawCallsWait}). */
    private boolean rawWaits;

    private Object lastSite;
    private SiteInfo lastInfo;
    /** The count of requests of {@link #requestThread} in {@link #requestInterval}, found once per run, not per call. */
    private Interval requestInterval;
    private long requestIntervalStart;
    private Thread requestThread;
    private long[] requestCount;

    private volatile long counted;
    private volatile long aggregatedOnly;

    AggregatingSink(Aggregator aggregator, BatchEncoder encoder, OpenIntervals intervals) {
        this.aggregator = aggregator;
        this.encoder = encoder;
        this.intervals = intervals;
    }

    /** Drains {@code buffer} into this sink, which then knows whose calls they are. */
    public int drain(ThreadBuffer buffer, int limit, List<Chunk> consumed) {
        thread = buffer.readingThread();
        int taken = buffer.drainTo(this, limit, consumed);
        buffer.readUpTo(thread);
        return taken;
    }

    /**
     * Runs {@code read} with raw calls left in their buffers: while the writer waits out an
     * outage, it reads the aggregated calls that come before the first raw one of each buffer (the
     * raw ones keep their place, as the raw mode promises to keep them up to the buffer's capacity).
     */
    public void whileRawCallsWait(Runnable read) {
        rawWaits = true;
        try {
            read.run();
        } finally {
            rawWaits = false;
        }
    }

    @Override
    public int accept(Object site, Object stored, long[] times, Object[] spans, int from, int to) {
        if (site instanceof FirstCalls first) {
            thread = first.owner;
            return to;
        }
        if (site instanceof RequestTime kind) {
            long offset = encoder.wallMinusMonotonic();
            for (int i = from; i < to; i++) {
                intervals.at(offset + times[2 * i + 1]).requests.time(kind, times[2 * i + 1] - times[2 * i]);
            }
            return to;
        }
        boolean nested = stored instanceof Nested;
        Object error = nested ? ((Nested) stored).error : stored;
        SiteInfo info = lastInfo;
        if (site != lastSite) {
            info = aggregator.siteInfo(site);
            lastSite = site;
            lastInfo = info;
        }
        int end = to;
        if (info.raw()) {
            if (rawWaits) {
                return from;
            }
            end = encoder.accept(site, error, times, spans, from, to);
        }
        count(info.aggregated() ? info.series(error) : null, !nested, times, spans, from, end);
        if (!info.raw()) {
            // Counted once counted: a run that failed here stays in its buffer and comes again.
            aggregatedOnly += to - from;
        }
        return end;
    }

    private void count(AggregatedSeries series, boolean requests, long[] times, Object[] spans, int from, int to) {
        if (series == null && !requests) {
            return;
        }
        long offset = encoder.wallMinusMonotonic();
        for (int i = from; i < to; i++) {
            long nanos = times[2 * i + 1] - times[2 * i];
            Interval interval = intervals.at(offset + times[2 * i + 1]);
            if (series != null) {
                interval.add(series, nanos, spans == null ? null : spans[i]);
            }
            if (requests) {
                request(interval, nanos);
            }
        }
        if (series != null) {
            counted += to - from;
        }
    }

    private void request(Interval interval, long nanos) {
        // An interval is recycled once written: its start tells a new one from the old.
        if (interval == requestInterval && interval.startWall == requestIntervalStart && thread == requestThread) {
            interval.requests.request(nanos);
            requestCount[0]++;
        } else {
            requestCount = interval.request(thread, nanos);
            requestInterval = interval;
            requestIntervalStart = interval.startWall;
            requestThread = thread;
        }
    }

    /** The writer has written {@code interval}'s points: this sink must not hold on to it. */
    void closed(Interval interval) {
        if (requestInterval == interval) {
            requestInterval = null;
            requestCount = null;
        }
    }

    /** Calls counted in intervals so far. */
    long counted() {
        return counted;
    }

    /** Calls read that are aggregated only: stored with the raw calls, but not raw calls. */
    public long aggregatedOnly() {
        return aggregatedOnly;
    }
}

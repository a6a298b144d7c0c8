package io.rawmetrics.internal.aggregate;

import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.lineprotocol.LineBuffer;
import io.rawmetrics.internal.lineprotocol.LineProtocol;
import io.rawmetrics.internal.trace.Spans;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The aggregated mode's points for one interval, built by the writer thread once the interval is
 * closed: per process, measurement {@code request-metrics} as the workshop's hello-world-v7 writes
 * it (one point of rates and means, the 16 time buckets, a point per request thread); per function
 * and outcome that had calls, measurement {@code function-metrics} (count, throughput, mean,
 * min, max, percentiles, and the same buckets). See docs/schema.md for each field.
 *
 * <p>What an interval holds are the calls that ended in it ({@link OpenIntervals}), whenever the
 * writer read them: an interval closed late (an outage) is still written with its own calls, at its
 * own end time.
 */
final class IntervalReport {

    static final String MEASUREMENT = "request-metrics";
    /**
     * At most this many {@code thread_id} points per interval: the busiest threads ranked 1, 2, ...
     * and, if there are more, one point {@code thread_id=rest} summing the others' requests.
     */
    static final int MAX_THREAD_POINTS = 64;

    private final Aggregator aggregator;
    private final String processPrefix;
    private final ProcessStats processStats = new ProcessStats();
    private ProcessStats.Reading lastReading;
    private long lastReadingWall;
    /** Threads that made a request and were alive when the last interval was written. */
    private final Map<Thread, Boolean> requestThreads = new IdentityHashMap<>();
    private int peakStarted;
    /** Whether any interval so far had server (queue) times: their buckets are written from then on. */
    private boolean reportsServerTimes;
    private boolean reportsQueueTimes;
    private long callsReported;
    private final StringBuilder line = new StringBuilder(256);

    IntervalReport(Aggregator aggregator, HostIdentity host, long startWall) {
        this.aggregator = aggregator;
        StringBuilder prefix = LineProtocol.appendMeasurement(new StringBuilder(), MEASUREMENT).append(",hostname=");
        LineProtocol.appendName(prefix, host.hostname()).append(",process=");
        LineProtocol.appendName(prefix, host.process());
        this.processPrefix = prefix.toString();
        this.lastReadingWall = startWall;
        this.lastReading = processStats.read();
    }

    /** Calls counted in the intervals built so far. */
    long callsReported() {
        return callsReported;
    }

    /**
     * Appends the points of {@code interval}, at its end time.
     *
     * @param nowWall the wall clock now: the process's CPU time is written for an interval that
     *                ended no longer than an interval ago (since the last one written with it), not
     *                for those closed late, after an outage, whose CPU time was not read in time
     * @return the calls the interval counts
     */
    long build(LineBuffer out, Interval interval, long nowWall) {
        long endWall = interval.endWall;
        long elapsed = Math.max(1, endWall - interval.startWall);
        double seconds = elapsed / 1e9;
        for (Thread thread : interval.requestsByThread.keySet()) {
            if (thread != null) {
                requestThreads.put(thread, Boolean.TRUE);
            }
        }
        List<Long> perThread = new ArrayList<>();
        int started = 0;
        for (Iterator<Thread> threads = requestThreads.keySet().iterator(); threads.hasNext(); ) {
            Thread thread = threads.next();
            long[] requests = interval.requestsByThread.get(thread);
            boolean alive = thread.isAlive();
            if (requests != null || alive) {
                perThread.add(requests != null ? requests[0] : 0L);
            }
            if (alive) {
                started++;
            } else {
                threads.remove();
            }
        }
        long[] unknown = interval.requestsByThread.get(null);
        if (unknown != null) {
            perThread.add(unknown[0]);
        }
        int active = interval.requestsByThread.size();
        Interval.RequestTotals delta = interval.requests;

        peakStarted = Math.max(peakStarted, started);
        int maximum = Aggregator.requestThreadsMaximum() > 0 ? Aggregator.requestThreadsMaximum() : peakStarted;
        boolean inTime = nowWall - endWall <= elapsed;
        ProcessStats.Reading reading = inTime ? processStats.read() : null;
        double[] cpu = inTime ? ProcessStats.cpuShares(lastReading, reading, Math.max(1, nowWall - lastReadingWall)) : null;
        if (inTime) {
            lastReading = reading;
            lastReadingWall = nowWall;
        }

        StringBuilder l = startLine();
        l.append(" request_throughput=").append(plain(delta.requests / seconds))
                .append(",requests=").append(delta.requests).append('i');
        if (delta.requests > 0) {
            l.append(",application_time=").append(seconds(delta.requestNanos / (double) delta.requests));
        }
        if (maximum > 0) {
            l.append(",capacity_utilization=").append(plain(delta.requestNanos / (double) elapsed / maximum));
        }
        if (delta.serverTimes > 0) {
            l.append(",server_time=").append(seconds(delta.serverNanos / (double) delta.serverTimes));
        }
        if (delta.queueTimes > 0) {
            l.append(",queue_time=").append(seconds(delta.queueNanos / (double) delta.queueTimes));
        }
        if (cpu != null) {
            l.append(",cpu_user_time=").append(plain(cpu[0])).append(",cpu_system_time=").append(plain(cpu[1]));
        }
        if (reading != null && reading.rssBytes() >= 0) {
            l.append(",memory_rss=").append(reading.rssBytes()).append("i,memory_max_rss=")
                    .append(reading.maxRssBytes()).append('i');
        }
        l.append(",request_threads_maximum=").append(maximum).append("i,request_threads_started=").append(started)
                .append("i,request_threads_active=").append(active).append('i');
        endLine(out, endWall);

        boolean server = reportsServerTimes |= delta.serverTimes > 0;
        boolean queue = reportsQueueTimes |= delta.queueTimes > 0;
        for (int i = 0; i < TimeBuckets.COUNT; i++) {
            l = startLine().append(",time_bucket=").append(TimeBuckets.LABELS[i])
                    .append(" application_time_bucket=").append(delta.requestBuckets[i]).append('i');
            if (server) {
                l.append(",server_time_bucket=").append(delta.serverBuckets[i]).append('i');
            }
            if (queue) {
                l.append(",queue_time_bucket=").append(delta.queueBuckets[i]).append('i');
            }
            endLine(out, endWall);
        }

        perThread.sort(java.util.Comparator.reverseOrder());
        int ranked = perThread.size() <= MAX_THREAD_POINTS ? perThread.size() : MAX_THREAD_POINTS - 1;
        for (int rank = 1; rank <= ranked; rank++) {
            startLine().append(",thread_id=").append(rank).append(" request_threads_bucket=")
                    .append(perThread.get(rank - 1)).append('i');
            endLine(out, endWall);
        }
        if (ranked < perThread.size()) {
            long rest = 0;
            for (long requests : perThread.subList(ranked, perThread.size())) {
                rest += requests;
            }
            startLine().append(",thread_id=rest request_threads_bucket=").append(rest).append('i');
            endLine(out, endWall);
        }

        for (AggregatedSeries series : aggregator.series()) {
            Interval.Totals totals = interval.totalsOrNull(series);
            if (totals != null) {
                appendFunction(out, series, totals, seconds, endWall);
            }
        }
        callsReported += interval.calls;
        return interval.calls;
    }

    private void appendFunction(LineBuffer out, AggregatedSeries series, Interval.Totals interval,
            double seconds, long endWall) {
        Histogram h = interval.histogram;
        line.setLength(0);
        line.append(series.linePrefix).append(" count=").append(interval.count).append('i')
                .append(",throughput=").append(plain(interval.count / seconds))
                .append(",mean=").append(seconds(interval.nanos / (double) interval.count));
        if (h.getTotalCount() > 0) {
            line.append(",min=").append(seconds(h.getMinValue()))
                    .append(",max=").append(seconds(h.getMaxValue()))
                    .append(",p50=").append(seconds(h.getValueAtPercentile(50)))
                    .append(",p90=").append(seconds(h.getValueAtPercentile(90)))
                    .append(",p95=").append(seconds(h.getValueAtPercentile(95)))
                    .append(",p99=").append(seconds(h.getValueAtPercentile(99)))
                    .append(",p999=").append(seconds(h.getValueAtPercentile(99.9)));
        }
        appendExemplar(interval);
        endLine(out, endWall);
        for (int i = 0; i < TimeBuckets.COUNT; i++) {
            line.setLength(0);
            line.append(series.linePrefix).append(",time_bucket=").append(TimeBuckets.LABELS[i])
                    .append(" application_time_bucket=").append(interval.buckets[i]).append('i');
            endLine(out, endWall);
        }
    }

    /**
     * The slowest of the interval's calls that ran in a traced span: its time and its span's ids, so
     * that a p99 panel can link to a trace. None if no call of the series ran in one.
     */
    private void appendExemplar(Interval.Totals interval) {
        Object span = interval.exemplarSpan;
        String traceId = span == null ? null : Spans.traceId(span);
        String spanId = span == null ? null : Spans.spanId(span);
        if (traceId != null && spanId != null) {
            line.append(",exemplar_time=").append(seconds(interval.exemplarNanos))
                    .append(",exemplar_span_id=\"").append(spanId)
                    .append("\",exemplar_trace_id=\"").append(traceId).append('"');
        }
    }

    private StringBuilder startLine() {
        line.setLength(0);
        return line.append(processPrefix);
    }

    private void endLine(LineBuffer out, long time) {
        line.append(' ').append(time).append('\n');
        out.append(line);
    }

    /** A float field in plain decimal notation. */
    private static String plain(double value) {
        return Double.isFinite(value) ? BigDecimal.valueOf(value).toPlainString() : "0";
    }

    /** Nanoseconds as a float field in seconds, to the nanosecond. */
    private static String seconds(double nanos) {
        return BigDecimal.valueOf(Math.round(nanos)).movePointLeft(9).toPlainString();
    }
}

package io.rawmetrics.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The aggregated mode's points for one interval, built by the writer thread when the interval
 * ends: per process, measurement {@code request-metrics} as the workshop's hello-world-v7 writes
 * it (one point of rates and means, the 16 time buckets, a point per request thread); per function
 * and outcome that had calls, measurement {@code function-metrics} (count, throughput, mean,
 * min, max, percentiles, and the same buckets). See docs/schema.md for each field.
 *
 * <p>Everything is read from the threads' cumulative counts, and what an interval reports is the
 * difference from what the interval before read. A call is therefore counted in exactly one
 * interval, whichever thread made it and whenever the writer gets to read it: if a write is
 * delayed (an outage), the next interval written is longer, and no call is lost.
 */
final class IntervalReport {

    static final String MEASUREMENT = "request-metrics";
    /**
     * At most this many {@code thread_id} points per interval: the busiest threads ranked 1, 2, ...
     * and, if there are more, one point {@code thread_id=rest} summing the others' requests.
     */
    static final int MAX_THREAD_POINTS = 64;

    private final Aggregator aggregator;
    private final long intervalNanos;
    private final String processPrefix;
    private final ProcessStats processStats = new ProcessStats();
    private ProcessStats.Reading lastReading;
    private long lastEndWall;
    private final RequestTotals retired = new RequestTotals();
    private final RequestTotals previous = new RequestTotals();
    private final RequestTotals current = new RequestTotals();
    private int peakStarted;
    private long callsReported;
    private final StringBuilder line = new StringBuilder(256);

    IntervalReport(Aggregator aggregator, HostIdentity host, long intervalNanos, long startWall) {
        this.aggregator = aggregator;
        this.intervalNanos = intervalNanos;
        StringBuilder prefix = LineProtocol.appendMeasurement(new StringBuilder(), MEASUREMENT).append(",hostname=");
        LineProtocol.appendName(prefix, host.hostname()).append(",process=");
        LineProtocol.appendName(prefix, host.process());
        this.processPrefix = prefix.toString();
        this.lastEndWall = startWall;
        this.lastReading = processStats.read();
    }

    /** The end of the interval under way: the next multiple of the interval since the epoch. */
    long nextEnd() {
        return Math.floorDiv(lastEndWall, intervalNanos) * intervalNanos + intervalNanos;
    }

    /** Calls counted in the intervals built so far. */
    long callsReported() {
        return callsReported;
    }

    /**
     * Appends the points of the interval from the last one's end to {@code endWall} (an interval
     * boundary, or any time for the last, partial interval at a flush or stop).
     *
     * @return the calls the interval counts
     */
    long build(LineBuffer out, long endWall) {
        long elapsed = Math.max(1, endWall - lastEndWall);
        double seconds = elapsed / 1e9;
        List<Long> perThread = new ArrayList<>();
        int started = 0;
        int active = 0;
        List<ThreadAggregates> live = new ArrayList<>();
        for (ThreadAggregates thread : aggregator.threads()) {
            boolean alive = thread.owner.isAlive(); // first: once it says dead, every write of the thread is visible
            long requests = thread.requests();
            long inInterval = requests - thread.requestsAtLastInterval;
            thread.requestsAtLastInterval = requests;
            if (inInterval > 0) {
                active++;
            }
            if (inInterval > 0 || alive && requests > 0) {
                perThread.add(inInterval);
            }
            if (alive) {
                started += requests > 0 ? 1 : 0;
                live.add(thread);
            } else {
                retired.add(thread);
                for (CallCell cell : thread.cells()) {
                    cell.series.retire(cell);
                }
                aggregator.forget(thread);
            }
        }

        List<AggregatedSeries> allSeries = aggregator.series();
        for (AggregatedSeries series : allSeries) {
            series.beginTotals();
        }
        for (ThreadAggregates thread : live) {
            for (CallCell cell : thread.cells()) {
                cell.addTo(cell.series.currentTotals());
            }
        }
        current.setTo(retired);
        for (ThreadAggregates thread : live) {
            current.add(thread);
        }
        RequestTotals delta = current.minus(previous);
        previous.setTo(current);

        peakStarted = Math.max(peakStarted, started);
        int maximum = Aggregator.requestThreadsMaximum() > 0 ? Aggregator.requestThreadsMaximum() : peakStarted;
        ProcessStats.Reading reading = processStats.read();
        double[] cpu = ProcessStats.cpuShares(lastReading, reading, elapsed);
        lastReading = reading;

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
        if (reading.rssBytes() >= 0) {
            l.append(",memory_rss=").append(reading.rssBytes()).append("i,memory_max_rss=")
                    .append(reading.maxRssBytes()).append('i');
        }
        l.append(",request_threads_maximum=").append(maximum).append("i,request_threads_started=").append(started)
                .append("i,request_threads_active=").append(active).append('i');
        endLine(out, endWall);

        boolean server = current.serverTimes > 0;
        boolean queue = current.queueTimes > 0;
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

        long calls = 0;
        for (AggregatedSeries series : allSeries) {
            series.endTotals();
            AggregatedSeries.Totals interval = series.interval;
            if (interval.count > 0) {
                calls += interval.count;
                appendFunction(out, series, interval, seconds, endWall);
            }
        }
        callsReported += calls;
        lastEndWall = endWall;
        return calls;
    }

    private void appendFunction(LineBuffer out, AggregatedSeries series, AggregatedSeries.Totals interval,
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
        endLine(out, endWall);
        for (int i = 0; i < TimeBuckets.COUNT; i++) {
            line.setLength(0);
            line.append(series.linePrefix).append(",time_bucket=").append(TimeBuckets.LABELS[i])
                    .append(" application_time_bucket=").append(interval.buckets[i]).append('i');
            endLine(out, endWall);
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

    /** Process-wide counts of requests and reported times, summed over threads. */
    static final class RequestTotals {
        long requests;
        long requestNanos;
        final long[] requestBuckets = new long[TimeBuckets.COUNT];
        long serverTimes;
        long serverNanos;
        final long[] serverBuckets = new long[TimeBuckets.COUNT];
        long queueTimes;
        long queueNanos;
        final long[] queueBuckets = new long[TimeBuckets.COUNT];

        /** Adds a thread's counts so far, each count read before the sums it publishes. */
        void add(ThreadAggregates thread) {
            requests += thread.requests();
            requestNanos += thread.requestNanos();
            serverTimes += thread.serverTimes();
            serverNanos += thread.serverNanos();
            queueTimes += thread.queueTimes();
            queueNanos += thread.queueNanos();
            for (int i = 0; i < TimeBuckets.COUNT; i++) {
                requestBuckets[i] += thread.requestBuckets[i];
                serverBuckets[i] += thread.serverBuckets[i];
                queueBuckets[i] += thread.queueBuckets[i];
            }
        }

        void setTo(RequestTotals other) {
            requests = other.requests;
            requestNanos = other.requestNanos;
            serverTimes = other.serverTimes;
            serverNanos = other.serverNanos;
            queueTimes = other.queueTimes;
            queueNanos = other.queueNanos;
            System.arraycopy(other.requestBuckets, 0, requestBuckets, 0, TimeBuckets.COUNT);
            System.arraycopy(other.serverBuckets, 0, serverBuckets, 0, TimeBuckets.COUNT);
            System.arraycopy(other.queueBuckets, 0, queueBuckets, 0, TimeBuckets.COUNT);
        }

        RequestTotals minus(RequestTotals earlier) {
            RequestTotals d = new RequestTotals();
            d.requests = requests - earlier.requests;
            d.requestNanos = requestNanos - earlier.requestNanos;
            d.serverTimes = serverTimes - earlier.serverTimes;
            d.serverNanos = serverNanos - earlier.serverNanos;
            d.queueTimes = queueTimes - earlier.queueTimes;
            d.queueNanos = queueNanos - earlier.queueNanos;
            for (int i = 0; i < TimeBuckets.COUNT; i++) {
                d.requestBuckets[i] = requestBuckets[i] - earlier.requestBuckets[i];
                d.serverBuckets[i] = serverBuckets[i] - earlier.serverBuckets[i];
                d.queueBuckets[i] = queueBuckets[i] - earlier.queueBuckets[i];
            }
            return d;
        }
    }
}

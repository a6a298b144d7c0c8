package io.rawmetrics.internal.aggregate;

import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.lineprotocol.BatchEncoder;
import io.rawmetrics.internal.lineprotocol.LineBuffer;
import io.rawmetrics.internal.spool.Spool;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The aggregated mode on the writer's side: the sink drained calls go through
 * ({@link AggregatingSink}), the intervals still open ({@link OpenIntervals}), when to close them,
 * and the points of closed intervals waiting to be sent, oldest first. The {@link io.rawmetrics.internal.writer.Pipeline} drains
 * the buffers and sends; this class decides what an interval holds and when it is written.
 * Writer thread only, but for the counters, which any thread may read.
 */
public final class IntervalWriter {

    private static final System.Logger LOG = System.getLogger("io.rawmetrics");
    /** How late after an interval's end, beyond the horizon's margin, the writer looks to close it. */
    private static final long CLOSING_SLACK_NANOS = Duration.ofMillis(2).toNanos();
    /**
     * Intervals kept open at most, waiting for calls still to come; the calls of an interval closed
     * early are counted in the next one still open (at 1 s intervals, those of a thread stalled 16 s).
     * Each open interval holds a histogram per series, and a raw call that waits out an outage at the
     * head of a buffer holds the horizon back.
     */
    static final int MAX_OPEN_INTERVALS = 16;
    /** Aggregated points kept at most while the server is unavailable: about 50 minutes of 1 s intervals of 10 functions. */
    static final long MAX_PENDING_BYTES = 64L << 20;

    private final Aggregator aggregator;
    private final IntervalReport report;
    private final OpenIntervals intervals;
    private final AggregatingSink sink;
    /** Where the points go, as its sender names it, for the log. */
    private final String server;
    private final long maxPendingBytes;
    private final ArrayDeque<Points> pending = new ArrayDeque<>();
    private long pendingBytes;
    private boolean overflowLogged;
    /** The points being sent: kept, whatever arrives while the sending waits out an outage. */
    private Points sending;
    /** Calls counted in intervals whose points were dropped because too many waited; read by any thread. */
    private volatile long dropped;
    /** Where the oldest intervals' points go when too many wait, instead of being dropped; {@code null} for none. */
    private Spool spool;
    /** Calls counted in intervals whose points went to the spool; read by any thread. */
    private volatile long putAside;

    /**
     * @param startWall the wall time the first interval starts at
     * @param server    where the points go, as its sender names it ({@code LineSender.server}), for the log
     */
    public IntervalWriter(Aggregator aggregator, BatchEncoder encoder, HostIdentity host, long intervalNanos, long startWall,
            String server) {
        this(aggregator, encoder, host, intervalNanos, startWall, server, MAX_PENDING_BYTES);
    }

    /** {@code maxPendingBytes}: see {@link #MAX_PENDING_BYTES}. */
    public IntervalWriter(Aggregator aggregator, BatchEncoder encoder, HostIdentity host, long intervalNanos, long startWall,
            String server, long maxPendingBytes) {
        this.maxPendingBytes = maxPendingBytes;
        this.aggregator = aggregator;
        this.report = new IntervalReport(aggregator, host, startWall);
        this.intervals = new OpenIntervals(intervalNanos, startWall);
        this.sink = new AggregatingSink(aggregator, encoder, intervals);
        this.server = server;
    }

    /** With a spool: the oldest intervals' points go there when too many wait in memory, rather than being dropped. */
    public void spoolTo(Spool spool) {
        this.spool = spool;
    }

    /** The interval's points, and the calls they count. */
    public record Points(LineBuffer lines, long calls) {
    }

    public AggregatingSink sink() {
        return sink;
    }

    /** When the writer must look next, as a wall time: once every call that ended in the open interval has surely been stored. */
    public long nextLookWall(long lateStoreNanos) {
        return intervals.nextEnd() + lateStoreNanos + CLOSING_SLACK_NANOS;
    }

    /**
     * Closes every interval no call still to come can have ended in: those that end at or before
     * {@code horizonWall}, and the oldest beyond {@value #MAX_OPEN_INTERVALS} open.
     */
    public void closeBehind(long horizonWall, long nowWall) {
        while (intervals.nextEnd() <= horizonWall || intervals.open() > MAX_OPEN_INTERVALS) {
            close(intervals.closeNext(), nowWall);
        }
    }

    /**
     * A flush or a stop: closes the interval under way, cut at {@code nowWall}; with {@code last}
     * (the stop) every interval still open too, so that a call that ended as the stop began, whose
     * end by the clocks' offset lies past this moment, is not left uncounted.
     */
    public void closeAt(long nowWall, boolean last) {
        for (Interval interval = intervals.closeAt(nowWall); interval != null; interval = intervals.closeAt(nowWall)) {
            close(interval, nowWall);
        }
        while (last && intervals.open() > 0) {
            close(intervals.closeNext(), nowWall);
        }
    }

    /**
     * Builds an interval's points, with the calls that found the buffer full since the last one.
     * While the server is unavailable the points wait, up to {@code maxPendingBytes}; beyond,
     * the oldest interval's points are dropped, and its calls counted as lost.
     */
    private void close(Interval interval, long nowWall) {
        aggregator.takeOverflow(interval);
        LineBuffer lines = new LineBuffer(1 << 12);
        long calls = report.build(lines, interval, nowWall);
        sink.closed(interval);
        intervals.recycle(interval);
        pending.addLast(new Points(lines, calls));
        pendingBytes += lines.length();
        // The newest always stays, and so do the points being sent.
        while (pendingBytes > maxPendingBytes && pending.size() > (sending != null ? 2 : 1)) {
            Points oldest = pending.pollFirst();
            if (oldest == sending) { // being sent: the next oldest goes
                Points next = pending.pollFirst();
                pending.addFirst(oldest);
                oldest = next;
            }
            pendingBytes -= oldest.lines().length();
            if (putAside(oldest)) {
                continue;
            }
            dropped += oldest.calls();
            if (!overflowLogged) {
                overflowLogged = true;
                LOG.log(System.Logger.Level.WARNING, "rawmetrics: " + server + " has been unavailable"
                        + " for longer than " + maxPendingBytes / 1024 + " KiB of aggregated points take;"
                        + " the oldest intervals' points are dropped, and their calls counted as lost");
            }
        }
    }

    /**
     * Puts an interval's points aside in the spool, if there is one and it takes them: each
     * interval stays its own points, with its own timestamp, through an outage longer than memory.
     */
    public boolean putAside(Points points) {
        if (spool == null) {
            return false;
        }
        byte[] bytes = points.lines().array();
        int length = points.lines().length();
        int lines = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                lines++;
            }
        }
        if (!spool.appendAggregated(bytes, 0, length, lines, (int) Math.min(Integer.MAX_VALUE, points.calls()))) {
            return false;
        }
        putAside += points.calls();
        return true;
    }

    /** Calls counted in intervals whose points went to the spool. */
    public long putAside() {
        return putAside;
    }

    /** The oldest points waiting to be sent, or {@code null}; they are not dropped for want of room until {@link #sent}. */
    public Points nextToSend() {
        Points next = pending.peekFirst();
        if (next == null) {
            overflowLogged = false; // everything went: an outage to come is logged anew
        }
        sending = next;
        return next;
    }

    /** {@code sent}, returned by {@link #nextToSend}, is done with (delivered, refused or given up on). */
    public void sent(Points sent) {
        pending.pollFirst();
        pendingBytes -= sent.lines().length();
        sending = null;
    }

    /** Calls counted so far: those read by the writer, and those that found the buffer full. */
    public long counted() {
        return sink.counted() + aggregator.overflowed();
    }

    /** Calls counted in intervals built so far. */
    public long reported() {
        return report.callsReported();
    }

    /** Calls of intervals whose points were dropped because too many waited (see {@link #close}). */
    public long dropped() {
        return dropped;
    }
}

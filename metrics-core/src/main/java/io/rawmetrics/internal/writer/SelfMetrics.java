package io.rawmetrics.internal.writer;

import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.delivery.LineSender;
import io.rawmetrics.internal.delivery.RetryingSender;
import io.rawmetrics.internal.lineprotocol.LineBuffer;
import io.rawmetrics.internal.lineprotocol.LineProtocol;
import io.rawmetrics.internal.tags.TagGuard;
import io.rawmetrics.internal.tags.TagGuards;

/**
 * The library's own counters as one point of measurement {@code rawmetrics}, tagged like the timed
 * calls' points (see docs/schema.md). Best effort: sent once, not retried, not counted. Writer
 * thread only; reuses its buffers.
 */
final class SelfMetrics {

    private static final System.Logger LOG = LibraryLog.LOG;

    private final LineSender sender;
    private final HostIdentity host;
    private final Clock clock;
    private final StringBuilder line = new StringBuilder(256);
    private final LineBuffer bytes = new LineBuffer(256);

    private final long intervalNanos;
    /** When the counters are next due. */
    private long nextNanos = System.nanoTime();

    /** Written at most once per {@code intervalNanos} (the flush interval), and at each flush and stop. */
    SelfMetrics(LineSender sender, HostIdentity host, Clock clock, long intervalNanos) {
        this.sender = sender;
        this.host = host;
        this.clock = clock;
        this.intervalNanos = intervalNanos;
    }

    /**
     * The writer's step: writes the counters if they are due, or {@code now} (a flush, a stop).
     * Not on every pass: under load the writer makes one per batch, hundreds a second.
     */
    void writeIfDue(boolean now, Ledger ledger, RetryingSender retrying) {
        if (now || System.nanoTime() - nextNanos >= 0) {
            write(ledger.counts(), retrying.failedWrites(), retrying.retries());
            nextNanos = System.nanoTime() + intervalNanos;
        }
    }

    void write(Pipeline.Counts counts, long failedWrites, long retries) {
        line.setLength(0);
        long now = clock.wallTimeNanos();
        LineProtocol.appendMeasurement(line, "rawmetrics").append(",hostname=");
        LineProtocol.appendName(line, host.hostname()).append(",process=");
        LineProtocol.appendName(line, host.process())
                .append(" recorded=").append(counts.recorded()).append('i')
                .append(",delivered=").append(counts.delivered()).append('i')
                .append(",dropped=").append(counts.dropped()).append('i')
                .append(",buffered=").append(counts.buffered()).append('i')
                .append(",failed_writes=").append(failedWrites).append('i')
                .append(",retries=").append(retries).append('i')
                .append(' ').append(now).append('\n');
        appendTagGuards(now);
        bytes.clear();
        bytes.append(line);
        try {
            sender.send(bytes);
        } catch (LineSender.WriteException e) {
            LOG.log(System.Logger.Level.DEBUG, "rawmetrics: could not write the library's own counters: " + e.getMessage());
        }
    }

    /**
     * One point per {@code @Tag} of a function (measurement {@code rawmetrics-tags}): the values it
     * took and the calls its guard changed. The time is the counters' point's, so both are one row
     * of the same moment.
     */
    private void appendTagGuards(long time) {
        for (TagGuard guard : TagGuards.all()) {
            LineProtocol.appendMeasurement(line, "rawmetrics-tags").append(",function=");
            LineProtocol.appendName(line, guard.function()).append(",hostname=");
            LineProtocol.appendName(line, host.hostname()).append(",process=");
            LineProtocol.appendName(line, host.process()).append(",tag=");
            LineProtocol.appendName(line, guard.key())
                    .append(" values=").append(guard.values()).append('i')
                    .append(",folded=").append(guard.folded()).append('i')
                    .append(",cut=").append(guard.cut()).append('i')
                    .append(",resolver_errors=").append(guard.errors()).append('i')
                    .append(' ').append(time).append('\n');
        }
    }
}

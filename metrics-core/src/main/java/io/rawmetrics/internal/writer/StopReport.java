package io.rawmetrics.internal.writer;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.aggregate.IntervalWriter;
import io.rawmetrics.internal.delivery.RetryingSender;
import io.rawmetrics.internal.delivery.StopSignal;
import io.rawmetrics.internal.spool.Spool;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a pipeline says when it stops, once, whichever stop comes first: what was lost over its
 * life, by cause, and what waits in the spool for the next process. A clean stop says nothing.
 * In the library's log, or on standard error from the shutdown hook, where java.util.logging may
 * be gone; its text is built with {@code StringBuilder}s, since under {@code mvn exec:java} the
 * application's class loader may be closed by then (see {@link Losses}).
 */
final class StopReport {

    private final RawMetricsConfig config;
    private final Ledger ledger;
    /** {@code null} without one. */
    private final Spool spool;
    /** {@code null} when every call is raw. */
    private final IntervalWriter intervals;
    private final StopSignal stop;
    private final Thread writer;
    private final AtomicBoolean said = new AtomicBoolean();

    StopReport(RawMetricsConfig config, Ledger ledger, Spool spool, IntervalWriter intervals, StopSignal stop, Thread writer) {
        this.config = config;
        this.ledger = ledger;
        this.spool = spool;
        this.intervals = intervals;
        this.stop = stop;
        this.writer = writer;
    }

    void say(boolean toStandardError) {
        if (!said.compareAndSet(false, true)) {
            return;
        }
        Losses losses = writer.isAlive() ? ledger.lossesPastDeadline() : ledger.losses(true);
        if (losses.total() > 0) {
            say(losses.describe(ledger.recorded(), "", RetryingSender.where(config), config.bufferCapacity(), stop.timeout()),
                    toStandardError);
        }
        if (ledger.inSpool() > 0 || aggregatedInSpool() > 0) {
            say(describeSpool(), toStandardError);
        }
    }

    private static void say(String message, boolean toStandardError) {
        if (toStandardError) {
            System.err.println(message);
        } else {
            LibraryLog.LOG.log(System.Logger.Level.WARNING, message);
        }
    }

    private String describeSpool() {
        StringBuilder text = new StringBuilder("rawmetrics: ").append(ledger.inSpool()).append(" points");
        if (aggregatedInSpool() > 0) {
            text.append(" and the aggregated points of ").append(aggregatedInSpool()).append(" calls");
        }
        return text.append(" wait in the spool ").append(spool.directory())
                .append(", to be written by the next process that starts with it")
                .append(" (rawmetrics.spool-directory); none is lost").toString();
    }

    /** Aggregated calls whose intervals' points wait in the spool, for the next process. */
    private long aggregatedInSpool() {
        return spool == null || intervals == null ? 0 : Math.max(0, intervals.putAside() - spool.replayedAggregatedCalls());
    }
}

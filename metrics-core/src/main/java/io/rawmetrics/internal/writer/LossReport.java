package io.rawmetrics.internal.writer;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.Throttle;
import io.rawmetrics.internal.delivery.RetryingSender;
import io.rawmetrics.internal.delivery.StopSignal;
import java.time.Duration;

/**
 * The writer's step that says what was dropped since the last such message, at most once a
 * minute: between passes, and while a retry waits (calls are dropped then, when the buffer is full).
 */
final class LossReport {

    private static final long INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final Ledger ledger;
    private final RawMetricsConfig config;
    private final StopSignal stop;
    private final Throttle reports = new Throttle(INTERVAL_NANOS);
    /** Losses as of the last report (also loads {@link Losses} now, see its comment). */
    private Losses reported = Losses.NONE;

    LossReport(Ledger ledger, RawMetricsConfig config, StopSignal stop) {
        this.ledger = ledger;
        this.config = config;
        this.stop = stop;
    }

    void run() {
        if (!reports.due()) {
            return; // first: while a retry waits, this runs every few milliseconds
        }
        Losses now = ledger.losses(false);
        if (now.total() <= reported.total()) {
            // Nothing new; or fewer: an aggregated call that found the buffer full is counted as
            // dropped for a moment, until the aggregated mode has counted it instead.
            return;
        }
        Losses recent = now.since(reported);
        long since = reports.sinceLast();
        String lead = since < 0 ? "" : "in the last " + Duration.ofNanos(since).toSeconds() + " s, ";
        LibraryLog.LOG.log(System.Logger.Level.WARNING, recent.describe(-1, lead, RetryingSender.where(config),
                config.bufferCapacity(), stop.timeout()) + " (" + now.total() + " since the start; see RawMetrics.stats())");
        reported = now;
        reports.saidNow();
    }
}

package io.rawmetrics.internal.aggregate;

import io.rawmetrics.RawMetricsConfig.Mode;
import io.rawmetrics.internal.Cancelled;
import io.rawmetrics.internal.TimedFunction;

/**
 * What the aggregated mode knows of a call site, worked out on the first call that meets it: its
 * mode, and the series its calls are counted in. Shared by all threads; immutable but for the
 * error and cancelled series, made on the site's first such call.
 */
final class SiteInfo {

    private final Aggregator aggregator;
    /** Null if the site cannot be described: its calls go the raw way, which counts them as lost. */
    private final TimedFunction function;
    private final Mode mode;
    private final AggregatedSeries ok;
    private volatile AggregatedSeries error;
    private volatile AggregatedSeries cancelled;

    SiteInfo(Aggregator aggregator, TimedFunction function, Mode mode) {
        this.aggregator = aggregator;
        this.function = function;
        this.mode = function == null ? Mode.RAW : mode;
        this.ok = this.mode.aggregated() ? aggregator.series(function, "ok") : null;
    }

    boolean raw() {
        return mode.raw();
    }

    boolean aggregated() {
        return mode.aggregated();
    }

    AggregatedSeries ok() {
        return ok;
    }

    AggregatedSeries error() {
        AggregatedSeries series = error;
        if (series == null) {
            series = aggregator.series(function, "error");
            error = series;
        }
        return series;
    }

    /** The series of a call that ended with {@code error}: the class it threw, {@link Cancelled}, or null. */
    AggregatedSeries series(Object error) {
        return error == null ? ok : error == Cancelled.class ? cancelled() : error();
    }

    /** The series of calls whose lazy result was cancelled ({@link Cancelled}). */
    AggregatedSeries cancelled() {
        AggregatedSeries series = cancelled;
        if (series == null) {
            series = aggregator.series(function, "cancelled");
            cancelled = series;
        }
        return series;
    }
}

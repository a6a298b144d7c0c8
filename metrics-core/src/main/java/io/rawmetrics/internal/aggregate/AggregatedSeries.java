package io.rawmetrics.internal.aggregate;

import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.lineprotocol.LineProtocol;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code function-metrics} series: a function (with its constant tags) and an outcome, across
 * all threads. Immutable; its calls are counted per interval in {@link Interval}s.
 */
final class AggregatedSeries {

    static final String MEASUREMENT = "function-metrics";

    final String function;
    final String outcome;
    /** This series' place among the aggregator's: where an {@link Interval} keeps its totals. */
    final int index;
    /** {@code function-metrics,<tags sorted by key>}, the start of each of this series' lines. */
    final String linePrefix;

    AggregatedSeries(TimedFunction function, String outcome, HostIdentity host, int index) {
        this.function = function.function();
        this.outcome = outcome;
        this.index = index;
        Map<String, String> tags = new TreeMap<>(function.tags());
        tags.put("function", function.function());
        tags.put("hostname", host.hostname());
        tags.put("outcome", outcome);
        tags.put("process", host.process());
        StringBuilder prefix = LineProtocol.appendMeasurement(new StringBuilder(), MEASUREMENT);
        tags.forEach((key, value) -> LineProtocol.appendName(LineProtocol.appendName(prefix.append(','), key).append('='), value));
        this.linePrefix = prefix.toString();
    }
}

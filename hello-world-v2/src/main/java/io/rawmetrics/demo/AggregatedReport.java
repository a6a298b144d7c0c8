package io.rawmetrics.demo;

import io.rawmetrics.RawMetricsConfig;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.influxdb.InfluxDB;
import org.influxdb.dto.QueryResult;

/**
 * The aggregated mode's view as a table ({@code report --metrics aggregated}): per second, the
 * Request Metrics dashboard's throughput, mean response time and capacity; then the response-time
 * buckets of the whole window, and per function its calls, mean and percentiles.
 */
final class AggregatedReport {

    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String[] BUCKETS = {"0.0", "0.005", "0.01", "0.02", "0.04", "0.08", "0.16", "0.32", "0.64",
            "1.28", "2.56", "5.12", "10.24", "20.48", "40.96", "inf"};

    private AggregatedReport() {
    }

    static void print(RawMetricsConfig config, int lastSeconds, PrintStream out) {
        InfluxDB influx = InfluxQueries.connect(config);
        try {
            String window = " WHERE time > now() - " + lastSeconds + "s";
            out.printf("Request Metrics, last %d s: measurements request-metrics and function-metrics, database %s at %s%n",
                    lastSeconds, config.database(), config.url());
            out.printf("%-10s %12s %12s %12s%n", "time (UTC)", "requests/s", "mean (ms)", "capacity");
            for (List<Object> row : InfluxQueries.rows(influx, config, "SELECT sum(\"request_throughput\"),"
                    + " mean(\"application_time\"), mean(\"capacity_utilization\") FROM \"request-metrics\""
                    + window + " GROUP BY time(1s) fill(none)")) {
                out.printf(Locale.ROOT, "%-10s %12.1f %12s %11.1f%%%n",
                        SECOND.format(Instant.ofEpochMilli(((Number) row.get(0)).longValue())), number(row.get(1)),
                        millis(row.get(2)), 100 * number(row.get(3)));
            }

            Map<String, Long> buckets = new TreeMap<>();
            for (QueryResult.Series s : InfluxQueries.series(influx, config, "SELECT sum(\"application_time_bucket\") FROM \"request-metrics\""
                    + window + " GROUP BY \"time_bucket\"")) {
                buckets.put(s.getTags().get("time_bucket"), count(s.getValues().get(0).get(1)));
            }
            out.println("requests by response time (the workshop's buckets, upper bound):");
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < BUCKETS.length; i++) {
                long n = buckets.getOrDefault(BUCKETS[i], 0L);
                String upper = i + 1 < BUCKETS.length - 1 ? "<=" + (int) Math.round(Double.parseDouble(BUCKETS[i + 1]) * 1000) + "ms"
                        : i == BUCKETS.length - 2 ? "<=81920ms" : ">81920ms";
                line.append(' ').append(upper).append(": ").append(n);
            }
            out.println(line);

            out.printf("%-48s %7s %10s %9s %9s %9s %9s %9s%n", "function (outcome)", "calls", "mean (ms)", "p50", "p95",
                    "p99", "p99.9", "max (ms)");
            // Each interval's count and mean, summed here: InfluxQL cannot weigh a mean by a count.
            for (QueryResult.Series s : InfluxQueries.series(influx, config, "SELECT \"count\", \"mean\", \"p50\", \"p95\", \"p99\","
                    + " \"p999\", \"max\" FROM \"function-metrics\"" + window + " AND \"count\" > 0 GROUP BY \"function\", \"outcome\"")) {
                long calls = 0;
                double seconds = 0;
                double[] highest = new double[5];
                for (List<Object> row : s.getValues()) {
                    long n = count(row.get(1));
                    calls += n;
                    seconds += n * number(row.get(2));
                    for (int i = 0; i < highest.length; i++) {
                        highest[i] = Math.max(highest[i], number(row.get(3 + i)));
                    }
                }
                out.printf(Locale.ROOT, "%-48s %7d %10s %9s %9s %9s %9s %9s%n",
                        s.getTags().get("function") + " (" + s.getTags().get("outcome") + ")", calls,
                        calls == 0 ? "-" : millis(seconds / calls), millis(highest[0]), millis(highest[1]),
                        millis(highest[2]), millis(highest[3]), millis(highest[4]));
            }
            out.println("(percentiles: the highest of the intervals' own; each interval's are within 1%)");
            List<List<Object>> total = InfluxQueries.rows(influx, config, "SELECT sum(\"requests\") FROM \"request-metrics\"" + window);
            long requests = total.isEmpty() ? 0 : count(total.get(0).get(1));
            out.printf(Locale.ROOT, "total: %d requests in %d s, %.1f requests/s%n", requests, lastSeconds,
                    (double) requests / lastSeconds);
        } finally {
            influx.close();
        }
    }

    private static long count(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static double number(Object value) {
        return value == null ? 0 : ((Number) value).doubleValue();
    }

    private static String millis(Object seconds) {
        return seconds == null ? "-" : String.format(Locale.ROOT, "%.3f", ((Number) seconds).doubleValue() * 1000);
    }
}

package io.rawmetrics.demo;

import io.rawmetrics.RawMetricsConfig;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.influxdb.InfluxDB;

/**
 * The Raw Requests dashboard as a table, for people without Grafana: one row per second with the
 * Throughput panel (requests per second, {@code count(application_time)} per 1 s) and the
 * Response Time panel (mean and 95th percentile), then a summary line.
 */
final class Report {

    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Report() {
    }

    static void print(RawMetricsConfig config, int lastSeconds, PrintStream out) {
        InfluxDB influx = InfluxQueries.connect(config);
        try {
            String select = "SELECT count(\"application_time\") AS requests, mean(\"application_time\") AS mean,"
                    + " percentile(\"application_time\", 95) AS p95 FROM " + quote(config.measurement())
                    + " WHERE time > now() - " + lastSeconds + "s";
            List<List<Object>> seconds = InfluxQueries.rows(influx, config, select + " GROUP BY time(1s) fill(null)");
            List<List<Object>> total = InfluxQueries.rows(influx, config, select);

            out.printf("Raw Requests, last %d s: measurement %s, database %s at %s%n", lastSeconds,
                    config.measurement(), config.database(), config.url());
            out.printf("%-10s %12s %12s %12s%n", "time (UTC)", "requests/s", "mean (ms)", "p95 (ms)");
            for (List<Object> row : seconds) {
                out.printf("%-10s %12d %12s %12s%n", SECOND.format(Instant.ofEpochMilli(((Number) row.get(0)).longValue())),
                        count(row.get(1)), millis(row.get(2)), millis(row.get(3)));
            }
            long requests = total.isEmpty() ? 0 : count(total.get(0).get(1));
            out.printf(Locale.ROOT, "total: %d requests in %d s, %.1f requests/s, mean %s ms, p95 %s ms%n",
                    requests, lastSeconds, (double) requests / lastSeconds,
                    total.isEmpty() ? "-" : millis(total.get(0).get(2)).strip(),
                    total.isEmpty() ? "-" : millis(total.get(0).get(3)).strip());
        } finally {
            influx.close();
        }
    }

    private static long count(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static String millis(Object seconds) {
        return seconds == null ? "-" : String.format(Locale.ROOT, "%.6f", ((Number) seconds).doubleValue() * 1000);
    }

    /** An InfluxQL identifier in double quotes. */
    static String quote(String identifier) {
        return '"' + identifier.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}

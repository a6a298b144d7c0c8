package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.influxd.PointsInInflux.TimeAndValue;
import io.rawmetrics.it.fixtures.BoundaryRequests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mode {@code both} under continuous load from several threads, with short intervals so that
 * thousands of calls end close to an interval's end: each interval's aggregated points must count
 * exactly the raw points of the calls that ended in it, per function, outcome, {@code @Tag} and
 * {@code @ResultTag} value, and as requests; and their statistics must agree with those raw points' durations within 1%.
 */
class IntervalBoundariesIT {

    private static final String DB = "interval_boundaries_it";
    private static final String HANDLE = "io.rawmetrics.it.fixtures.BoundaryRequests.handle";
    private static final String QUERY = "io.rawmetrics.it.fixtures.BoundaryRequests.query";
    private static final String CACHED = "io.rawmetrics.it.fixtures.BoundaryRequests.cached";
    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static final Duration LOAD = Duration.ofSeconds(2);
    private static final int THREADS = 4;

    private static InfluxdProcess influxd;
    private static PointsInInflux influx;

    @BeforeAll
    static void start() {
        influxd = InfluxdProcess.startTemporary();
        influx = new PointsInInflux(influxd, DB);
        RawMetrics.start(RawMetricsConfig.builder().url(influxd.url().toString()).database(DB)
                .mode(RawMetricsConfig.Mode.BOTH).aggregationInterval(INTERVAL).build());
    }

    @AfterAll
    static void stop() {
        RawMetrics.stop(Duration.ofSeconds(10));
        influx.close();
        influxd.close();
    }

    @Test
    void eachIntervalCountsExactlyTheCallsThatEndedInIt() throws Exception {
        BoundaryRequests requests = new BoundaryRequests();
        long until = System.nanoTime() + LOAD.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < until) {
                    try {
                        requests.handle(random.nextLong(200_000), random.nextInt(20) == 0);
                    } catch (IllegalStateException expected) {
                        // an error outcome
                    }
                    LockSupport.parkNanos(random.nextLong(200_000));
                }
            }, "caller-" + t));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(RawMetrics.stop(Duration.ofSeconds(30)));
        RawMetrics.Stats stats = RawMetrics.stats();
        assertEquals(0, stats.dropped(), stats.toString());

        // Interval ends: one request-metrics point per interval, calls or not.
        long[] ends = influx.timesAndValues("SELECT requests FROM \"request-metrics\"").stream()
                .mapToLong(TimeAndValue::time).toArray();
        assertTrue(ends.length >= LOAD.toMillis() / INTERVAL.toMillis() / 2, ends.length + " intervals");

        List<String> wrong = new ArrayList<>();
        int compared = 0;
        for (String series : List.of(HANDLE + "/ok", HANDLE + "/error", QUERY + "/ok/table=orders",
                QUERY + "/ok/table=users", CACHED + "/ok/cache=true", CACHED + "/ok/cache=false")) {
            String[] functionAndOutcome = series.split("/");
            String where = " WHERE \"function\" = '" + functionAndOutcome[0] + "' AND \"outcome\" = '"
                    + functionAndOutcome[1] + "'" + (functionAndOutcome.length > 2 ? " AND \""
                    + functionAndOutcome[2].replace("=", "\" = '") + "'" : "");
            List<TimeAndValue> raw = influx.timesAndValues("SELECT application_time FROM \"raw-requests\"" + where);
            Map<Long, long[]> rawByInterval = byInterval(raw, ends);
            Map<String, Map<Long, Double>> aggregated = new TreeMap<>();
            for (String field : List.of("count", "mean", "min", "max", "p50", "p90", "p95", "p99", "p999")) {
                Map<Long, Double> values = new TreeMap<>();
                influx.timesAndValues("SELECT \"" + field + "\" FROM \"function-metrics\"" + where)
                        .forEach(point -> values.put(point.time(), point.value()));
                aggregated.put(field, values);
            }
            assertEquals(raw.size(), aggregated.get("count").values().stream().mapToLong(Double::longValue).sum(), series);
            for (long end : ends) {
                long[] durations = rawByInterval.getOrDefault(end, new long[0]);
                long count = aggregated.get("count").getOrDefault(end, 0.0).longValue();
                if (count != durations.length) {
                    wrong.add(series + " at " + end + ": count " + count + ", raw points " + durations.length);
                    continue;
                }
                if (count == 0) {
                    continue;
                }
                compared++;
                Arrays.sort(durations);
                double mean = Arrays.stream(durations).sum() / (double) durations.length;
                check(wrong, series, end, "mean", mean, aggregated);
                check(wrong, series, end, "min", durations[0], aggregated);
                check(wrong, series, end, "max", durations[durations.length - 1], aggregated);
                Map<String, Double> percentiles = Map.of("p50", 50.0, "p90", 90.0, "p95", 95.0, "p99", 99.0, "p999", 99.9);
                percentiles.forEach((field, percentile) -> {
                    int rank = (int) Math.ceil(percentile / 100 * durations.length);
                    check(wrong, series, end, field, durations[Math.max(0, rank - 1)], aggregated);
                });
            }
        }
        // Every aggregated query is of one table or the other, as every raw one is.
        assertEquals(influx.count("SELECT count(application_time) FROM \"raw-requests\" WHERE \"function\" = '" + QUERY
                + "'"), Math.round(influx.select("SELECT sum(\"count\") FROM \"function-metrics\" WHERE \"function\" = '"
                + QUERY + "' AND (\"table\" = 'orders' OR \"table\" = 'users')").stream()
                .mapToDouble(row -> ((Number) row.get("sum")).doubleValue()).sum()));
        // Requests: the outermost calls, handle()'s, whatever their outcome.
        List<TimeAndValue> handled = influx.timesAndValues("SELECT application_time FROM \"raw-requests\""
                + " WHERE \"function\" = '" + HANDLE + "'");
        Map<Long, long[]> handledByInterval = byInterval(handled, ends);
        Map<Long, Double> requestCounts = new TreeMap<>();
        influx.timesAndValues("SELECT requests FROM \"request-metrics\"").forEach(p -> requestCounts.put(p.time(), p.value()));
        for (long end : ends) {
            long expected = handledByInterval.getOrDefault(end, new long[0]).length;
            if (requestCounts.get(end).longValue() != expected) {
                wrong.add("requests at " + end + ": " + requestCounts.get(end).longValue() + ", raw points of handle " + expected);
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " differences, of " + ends.length + " intervals: "
                + wrong.subList(0, Math.min(10, wrong.size())));
        assertTrue(compared >= ends.length, compared + " intervals of calls compared");
    }

    /** The durations of raw points, in nanoseconds, by the end of the interval their time falls in: [previous end, end). */
    private static Map<Long, long[]> byInterval(List<TimeAndValue> raw, long[] ends) {
        Map<Long, List<Long>> lists = new TreeMap<>();
        for (TimeAndValue point : raw) {
            int i = Arrays.binarySearch(ends, point.time());
            int interval = i >= 0 ? i + 1 : -i - 1; // a point at an interval's end time belongs to the next one
            long end = interval < ends.length ? ends[interval] : Long.MAX_VALUE;
            lists.computeIfAbsent(end, e -> new ArrayList<>()).add(Math.round(point.value() * 1e9));
        }
        Map<Long, long[]> arrays = new TreeMap<>();
        lists.forEach((end, list) -> arrays.put(end, list.stream().mapToLong(Long::longValue).toArray()));
        return arrays;
    }

    /** HdrHistogram with two significant digits: any value it reports is within 1% of a value recorded. */
    private static void check(List<String> wrong, String series, long end, String field, double exactNanos,
            Map<String, Map<Long, Double>> aggregated) {
        double nanos = aggregated.get(field).get(end) * 1e9;
        if (Math.abs(nanos - exactNanos) > exactNanos / 100 + 1) {
            wrong.add(series + " at " + end + ": " + field + " " + Math.round(nanos) + " ns, from the raw points "
                    + Math.round(exactNanos) + " ns");
        }
    }
}

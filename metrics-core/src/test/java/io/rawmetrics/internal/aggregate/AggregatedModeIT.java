package io.rawmetrics.internal.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.RawMetricsConfig.Mode;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.internal.CallRecorder;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.delivery.InfluxDbLineSender;
import io.rawmetrics.internal.writer.Losses;
import io.rawmetrics.internal.writer.Pipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The aggregated mode against a real InfluxDB: what the server stores adds up, exactly, to the
 * calls made, and the percentiles agree with the raw points of the same calls.
 */
class AggregatedModeIT {

    private static final HostIdentity HOST = new HostIdentity("web1", "web1:42");
    private static InfluxdProcess influxd;
    /**
     * Real time, moved so that it starts half-way through an hour: a test that needs all its calls
     * in one 1-hour interval then never meets an interval's end, and waits for nothing. Raw points
     * and aggregates take their times from it alike.
     */
    private static final Clock HALF_PAST_AN_HOUR = new Clock() {
        private final long wallAtStart = 1_764_133_200_000_000_000L + Duration.ofMinutes(30).toNanos(); // 05:30 UTC
        private final long monotonicAtStart = System.nanoTime();

        @Override
        public long wallTimeNanos() {
            return wallAtStart + (System.nanoTime() - monotonicAtStart);
        }

        @Override
        public long monotonicNanos() {
            return System.nanoTime();
        }
    };

    @BeforeAll
    static void startInfluxd() {
        influxd = InfluxdProcess.startTemporary();
    }

    @AfterAll
    static void stopInfluxd() {
        influxd.close();
    }

    private static RawMetricsConfig.Builder config(String database) {
        return RawMetricsConfig.builder().url(influxd.url().toString()).database(database);
    }

    /** A timed call as the woven advice makes it: entered, then ended {@code nanos} after its start. */
    private static void call(CallRecorder recorder, TimedFunction site, long nanos, Runnable inside) {
        recorder.entered();
        long start = System.nanoTime();
        inside.run();
        recorder.record(site, start, start + nanos, null);
    }

    @Test
    void countsEveryCallExactlyAcrossThreadsIntervalsAndTheStop() throws Exception {
        TimedFunction handle = TimedFunction.named("App.handle");
        TimedFunction query = TimedFunction.named("Db.query");
        TimedFunction render = TimedFunction.named("View.render");
        Pipeline pipeline = new Pipeline(config("exact").mode(Mode.AGGREGATED)
                .aggregationInterval(Duration.ofMillis(50)).build(), new InfluxDbLineSender(config("exact").build()),
                HOST, Clock.SYSTEM);
        CallRecorder recorder = pipeline.recorder();
        AtomicLong requests = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                Random random = new Random();
                long made = 0;
                while (System.nanoTime() < until) {
                    // A request: handle() calls query() twice and render() once; nested calls are not requests.
                    call(recorder, handle, 1_000_000 + random.nextInt(20_000_000), () -> {
                        call(recorder, query, 10_000 + random.nextInt(1_000_000), () -> { });
                        call(recorder, query, 10_000 + random.nextInt(1_000_000), () -> { });
                        recorder.entered();
                        long start = System.nanoTime();
                        recorder.record(render, start, start + 5_000, IllegalStateException.class);
                    });
                    made++;
                }
                requests.addAndGet(made);
            }));
        }
        // Short-lived threads: a request each, then they end (their counts must survive them).
        for (int t = 0; t < 200; t++) {
            threads.add(new Thread(() -> {
                call(recorder, handle, 2_000_000, () -> call(recorder, query, 1_000, () -> { }));
                requests.incrementAndGet();
                failures.incrementAndGet();
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(pipeline.shutdown(Duration.ofSeconds(30)));

        assertEquals(Losses.NONE, pipeline.losses());
        long made = requests.get();
        long shortLived = failures.get();
        long longLived = made - shortLived;
        try (PointsInInflux points = new PointsInInflux(influxd, "exact")) {
            Map<String, Long> counts = new HashMap<>();
            for (Map<String, Object> row : points.select(
                    "SELECT sum(\"count\") FROM \"function-metrics\" GROUP BY \"function\", \"outcome\"")) {
                counts.put(row.get("function") + "/" + row.get("outcome"), ((Number) row.get("sum")).longValue());
            }
            assertEquals(Map.of("App.handle/ok", made, "Db.query/ok", 2 * longLived + shortLived,
                    "View.render/error", longLived), counts);
            assertEquals(made, sum(points, "SELECT sum(\"requests\") FROM \"request-metrics\""));
            assertEquals(made, sum(points, "SELECT sum(\"application_time_bucket\") FROM \"request-metrics\""));
            assertEquals(made, sum(points, "SELECT sum(\"request_threads_bucket\") FROM \"request-metrics\""));
            assertEquals(made, sum(points, "SELECT sum(\"application_time_bucket\") FROM \"function-metrics\""
                    + " WHERE \"function\" = 'App.handle'"));
            long intervals = points.select("SELECT \"requests\" FROM \"request-metrics\" WHERE \"requests\" >= 0").size();
            assertTrue(intervals >= 3, "1.5 s of 50 ms intervals, written as " + intervals + " points");
        }
        assertEquals(made + 3 * longLived + shortLived, pipeline.aggregatedCalls());
        assertEquals(pipeline.aggregatedCalls(), pipeline.aggregatedDelivered());
    }

    @Test
    void percentilesAgreeWithTheRawPointsOfTheSameCallsInBothMode() throws Exception {
        TimedFunction site = TimedFunction.named("Shop.checkout");
        RawMetricsConfig config = config("both").mode(Mode.BOTH).aggregationInterval(Duration.ofHours(1))
                .bufferCapacity(200_000).build();
        Pipeline pipeline = new Pipeline(config, new InfluxDbLineSender(config), HOST, HALF_PAST_AN_HOUR);
        CallRecorder recorder = pipeline.recorder();
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            // From microseconds to seconds, heavy-tailed like response times.
            long nanos = (long) (1_000 * Math.exp(random.nextGaussian() * 2.5 + 5));
            call(recorder, site, nanos, () -> { });
        }
        assertTrue(pipeline.shutdown(Duration.ofSeconds(60)));

        try (PointsInInflux points = new PointsInInflux(influxd, "both")) {
            List<Map<String, Object>> raw = points.select("SELECT \"application_time\" FROM \"raw-requests\"");
            assertEquals(100_000, raw.size());
            long[] exact = raw.stream().mapToLong(row -> Math.round(((Number) row.get("application_time")).doubleValue() * 1e9))
                    .sorted().toArray();
            List<Map<String, Object>> aggregated = points.select(
                    "SELECT * FROM \"function-metrics\" WHERE \"function\" = 'Shop.checkout' AND \"count\" > 0");
            assertEquals(1, aggregated.size(), "one interval, the partial one written at the stop");
            Map<String, Object> row = aggregated.get(0);
            assertEquals(100_000.0, row.get("count"));
            assertEquals(Arrays.stream(exact).sum() / 1e9 / exact.length, (Double) row.get("mean"), 1e-9);
            assertWithinHistogramPrecision(exact[0], row.get("min"), "min");
            assertWithinHistogramPrecision(exact[exact.length - 1], row.get("max"), "max");
            Map<String, Double> percentiles = Map.of("p50", 50.0, "p90", 90.0, "p95", 95.0, "p99", 99.0, "p999", 99.9);
            percentiles.forEach((field, percentile) -> {
                int rank = (int) Math.ceil(percentile / 100 * exact.length);
                assertWithinHistogramPrecision(exact[rank - 1], row.get(field), field);
            });
        }
    }

    @Test
    void writesTheWorkshopsRequestMetricsEveryIntervalAndAFixedNumberOfPoints() throws Exception {
        // One interval for every call: the fields of one point are checked, not where intervals end.
        RawMetricsConfig config = config("fields").mode(Mode.AGGREGATED).aggregationInterval(Duration.ofHours(1)).build();
        Pipeline pipeline = new Pipeline(config, new InfluxDbLineSender(config), HOST, HALF_PAST_AN_HOUR);
        Aggregator aggregator = pipeline.aggregator();
        TimedFunction a = TimedFunction.named("App.a");
        TimedFunction b = new TimedFunction(null, "App.b", Map.of("team", "shop"));
        for (int i = 0; i < 1000; i++) {
            call(aggregator, a, 3_000_000, () -> { });
            call(aggregator, b, 30_000_000, () -> { });
            aggregator.serverTime(40_000_000);
            aggregator.queueTime(1_000_000);
        }
        assertTrue(pipeline.flush(Duration.ofSeconds(30)));
        assertTrue(pipeline.shutdown(Duration.ofSeconds(30)));

        try (PointsInInflux points = new PointsInInflux(influxd, "fields")) {
            Map<String, Object> main = points.select("SELECT * FROM \"request-metrics\" WHERE \"requests\" > 0").get(0);
            for (String field : List.of("request_throughput", "application_time", "capacity_utilization", "server_time",
                    "queue_time", "cpu_user_time", "cpu_system_time", "memory_rss", "memory_max_rss",
                    "request_threads_maximum", "request_threads_started", "request_threads_active", "requests")) {
                assertTrue(main.containsKey(field), field + " in " + main);
            }
            assertEquals(2000.0, main.get("requests"));
            assertEquals(0.0165, (Double) main.get("application_time"), 1e-12);
            assertEquals(0.04, (Double) main.get("server_time"), 1e-12);
            assertEquals(0.001, (Double) main.get("queue_time"), 1e-12);
            assertEquals("web1", main.get("hostname"));
            assertEquals("web1:42", main.get("process"));

            Set<String> labels = new TreeSet<>();
            Map<String, Double> applicationBuckets = new HashMap<>();
            for (Map<String, Object> bucket : points.select(
                    "SELECT * FROM \"request-metrics\" WHERE \"time_bucket\" <> '' AND \"application_time_bucket\" > 0")) {
                applicationBuckets.put((String) bucket.get("time_bucket"), (Double) bucket.get("application_time_bucket"));
            }
            for (Map<String, Object> bucket : points.select("SHOW TAG VALUES FROM \"request-metrics\" WITH KEY = \"time_bucket\"")) {
                labels.add((String) bucket.get("value"));
            }
            assertEquals(new TreeSet<>(List.of(TimeBuckets.LABELS)), labels);
            // 3 ms is in the first bucket (up to 5 ms), 30 ms in (20 ms, 40 ms], labelled 0.02.
            assertEquals(Map.of("0.0", 1000.0, "0.02", 1000.0), applicationBuckets);

            Map<String, Object> function = points.select(
                    "SELECT * FROM \"function-metrics\" WHERE \"function\" = 'App.b' AND \"count\" > 0").get(0);
            assertEquals("shop", function.get("team"));
            assertEquals("ok", function.get("outcome"));
            assertEquals(1000.0, function.get("count"));
            assertEquals(0.03, (Double) function.get("p99"), 0.03 / 100);
        }
    }

    private static void assertWithinHistogramPrecision(long exactNanos, Object aggregatedSeconds, String what) {
        long aggregated = Math.round(((Number) aggregatedSeconds).doubleValue() * 1e9);
        assertTrue(Math.abs(aggregated - exactNanos) <= exactNanos / 100 + 1,
                what + ": aggregated " + aggregated + " ns, exact " + exactNanos + " ns: more than 1% apart");
    }

    private static long sum(PointsInInflux points, String influxql) {
        List<Map<String, Object>> rows = points.select(influxql);
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get("sum")).longValue();
    }
}

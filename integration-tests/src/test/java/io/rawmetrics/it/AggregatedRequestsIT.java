package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.fixtures.RequestHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The aggregated mode through the woven aspect: requests are the outermost timed calls (an
 * asynchronous one included), every call is counted once in {@code function-metrics}, and no
 * raw point is written.
 */
class AggregatedRequestsIT {

    private static final String PREFIX = "io.rawmetrics.it.fixtures.RequestHandlers.";

    @Test
    void requestsAndTheCallsTheyMakeAreCountedExactly() throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "aggregated_it")) {
            RawMetrics.start(RawMetricsConfig.builder().url(influxd.url().toString()).database("aggregated_it")
                    .mode(RawMetricsConfig.Mode.AGGREGATED).aggregationInterval(Duration.ofMillis(100)).build());
            RequestHandlers handlers = new RequestHandlers();
            int threads = 4;
            int requestsPerThread = 50_000;
            int asyncRequests = 1000;
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(new Thread(() -> {
                    for (int i = 0; i < requestsPerThread; i++) {
                        handlers.handle(i);
                    }
                }));
            }
            workers.forEach(Thread::start);
            List<CompletableFuture<Integer>> pending = new ArrayList<>();
            for (int i = 0; i < asyncRequests; i++) {
                pending.add(handlers.handleLater(i));
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get();
            for (Thread worker : workers) {
                worker.join();
            }
            long requests = (long) threads * requestsPerThread + asyncRequests;
            long handled = (long) threads * requestsPerThread;
            // A future's callbacks run last registered first: allOf's, registered after the timing
            // advice's, may let get() return before the last call is recorded. Wait for it.
            long calls = 4 * handled + 2L * asyncRequests;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (RawMetrics.flush(Duration.ofSeconds(30)) && RawMetrics.stats().aggregated() < calls
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(RawMetrics.stop(Duration.ofSeconds(30)));

            Map<String, Long> counts = new HashMap<>();
            for (Map<String, Object> row : influx.select(
                    "SELECT sum(\"count\") FROM \"function-metrics\" GROUP BY \"function\", \"outcome\"")) {
                counts.put(((String) row.get("function")).replace(PREFIX, "") + "/" + row.get("outcome"),
                        ((Number) row.get("sum")).longValue());
            }
            assertEquals(Map.of("handle/ok", handled, "query/ok", 2 * handled + asyncRequests,
                    "render/error", handled, "handleLater/ok", (long) asyncRequests), counts);
            assertEquals(requests, influx.select("SELECT sum(\"requests\") FROM \"request-metrics\"").stream()
                    .mapToLong(row -> ((Number) row.get("sum")).longValue()).sum());
            assertEquals(0, influx.count("SELECT count(*) FROM \"raw-requests\""));
            RawMetrics.Stats stats = RawMetrics.stats();
            assertEquals(stats.aggregated(), stats.aggregatedDelivered());
            assertEquals(0, stats.recorded());
        }
    }
}

package io.rawmetrics.internal.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.internal.CallRecorder;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.delivery.InfluxDbLineSender;
import io.rawmetrics.internal.writer.Pipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregated mode through an outage of a real influxd (SIGKILL, then started again on its
 * data) several times longer than the memory buffer holds: each interval stays its own point with
 * its own count, none holds the calls of the others, and the counts sum to the calls made.
 */
class AggregatedOutageIT {

    private static final TimedFunction SITE = TimedFunction.named("App.handle");
    private static final long INTERVAL_NANOS = Duration.ofMillis(100).toNanos();

    @TempDir
    Path data;

    @Test
    void eachIntervalOfAnOutageStaysItsOwnPoint() {
        int port = InfluxdProcess.freePort();
        InfluxdProcess influxd = InfluxdProcess.startIn(data, port);
        RawMetricsConfig config = RawMetricsConfig.builder().url(influxd.url().toString()).database("outage")
                .mode(RawMetricsConfig.Mode.AGGREGATED).aggregationInterval(Duration.ofMillis(100))
                .bufferCapacity(2_000).batchSize(500).retryMaxInterval(Duration.ofMillis(300)).build();
        Pipeline pipeline = new Pipeline(config, new InfluxDbLineSender(config), new HostIdentity("h", "h:1"), Clock.SYSTEM);
        CallRecorder recorder = pipeline.recorder();
        influxd.kill();

        // 3 s at about 5,000 calls a second: 15,000 calls, seven times what the buffer holds.
        long start = System.nanoTime();
        long calls = 0;
        for (long now = start; now - start < Duration.ofSeconds(3).toNanos(); now = System.nanoTime()) {
            for (long due = (now - start) * 5_000 / 1_000_000_000L; calls < due; calls++) {
                recorder.entered();
                long end = System.nanoTime();
                recorder.record(SITE, end - 1_000, end, null);
            }
            LockSupport.parkNanos(500_000);
        }

        try (InfluxdProcess restarted = InfluxdProcess.startIn(data, port);
             PointsInInflux points = new PointsInInflux(restarted, "outage")) {
            assertTrue(pipeline.shutdown(Duration.ofSeconds(30)));
            List<Map<String, Object>> intervals = points.select("SELECT \"count\" FROM \"function-metrics\"");
            long sum = intervals.stream().mapToLong(row -> ((Number) row.get("count")).longValue()).sum();
            long most = intervals.stream().mapToLong(row -> ((Number) row.get("count")).longValue()).max().orElse(0);

            assertEquals(calls, sum, "every call counted once");
            assertTrue(intervals.size() >= 28, "an interval a tenth of a second: " + intervals.size());
            // An interval holds a tenth of a second of calls, about 500: never the outage's (before: one held 12,000).
            assertTrue(most < 2_000, "the most calls in one interval: " + most + " of " + calls);
        }
    }
}

package io.rawmetrics.internal.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TestCalls;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.delivery.InfluxDbLineSender;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With rawmetrics.self-metrics, InfluxDB also stores the library's own counters. */
class SelfMetricsIT {

    @Test
    void theCountersLandInTheRawmetricsMeasurement() throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux points = new PointsInInflux(influxd, "self")) {
            RawMetricsConfig config = RawMetricsConfig.builder().url(influxd.url().toString()).database("self")
                    .selfMetrics(true).flushInterval(Duration.ofHours(1)).build();
            Pipeline pipeline = new Pipeline(config, new InfluxDbLineSender(config), new HostIdentity("web1", "web1:7"),
                    Clock.SYSTEM);
            try {
                TestCalls.record(pipeline, TimedFunction.named("App.f"), 10);
                assertTrue(pipeline.flush(Duration.ofSeconds(30)));
            } finally {
                pipeline.shutdown(Duration.ofSeconds(5));
            }

            List<Map<String, Object>> own = points.select("SELECT * FROM rawmetrics ORDER BY time DESC LIMIT 1");
            assertEquals(1, own.size());
            Map<String, Object> counters = own.get(0);
            assertEquals("web1:7", counters.get("process"));
            assertEquals(10.0, counters.get("recorded"));
            assertEquals(10.0, counters.get("delivered"));
            assertEquals(0.0, counters.get("dropped"));
            assertEquals(0.0, counters.get("buffered"));
        }
    }
}

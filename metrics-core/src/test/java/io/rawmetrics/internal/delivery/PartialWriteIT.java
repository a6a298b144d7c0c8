package io.rawmetrics.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.lineprotocol.LineBuffer;
import io.rawmetrics.internal.writer.Pipeline;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A batch InfluxDB accepts only in part, against a real influxd: the stored points count as delivered. */
class PartialWriteIT {

    @Test
    void pointsRefusedForAFieldTypeConflictAreDroppedAndTheOthersStored() throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux points = new PointsInInflux(influxd, "partial")) {
            RawMetricsConfig config = RawMetricsConfig.builder().url(influxd.url().toString()).database("partial")
                    .flushInterval(Duration.ofHours(1)).build();
            try (InfluxDbLineSender sender = new InfluxDbLineSender(config)) {
                sender.createDatabase();
                // Someone else wrote application_time as a string in this measurement, in the current
                // shard (field types are per shard): floats now conflict.
                sender.send(LineBuffer.of("poisoned,function=other application_time=\"text\" "
                        + System.currentTimeMillis() * 1_000_000L + "\n"));
            }
            Pipeline pipeline = new Pipeline(config.toBuilder().createDatabase(false).build(),
                    new InfluxDbLineSender(config), new HostIdentity("h", "h:1"), Clock.SYSTEM);
            try {
                TimedFunction poisoned = new TimedFunction("poisoned", "App.poisoned", Map.of());
                TimedFunction healthy = new TimedFunction("healthy", "App.healthy", Map.of());
                for (int i = 0; i < 5; i++) {
                    long now = System.nanoTime(); // points in the current shard, as the poison is
                    pipeline.record(healthy, now - 1000, now, null);
                    if (i < 3) {
                        pipeline.record(poisoned, now - 1000, now, null);
                    }
                }
                assertTrue(pipeline.flush(Duration.ofSeconds(30)));

                assertEquals(5, pipeline.delivered());
                assertEquals(3, pipeline.dropped());
                assertEquals(5, points.count("SELECT count(application_time) FROM healthy"));
            } finally {
                pipeline.shutdown(Duration.ofSeconds(5));
            }
        }
    }
}

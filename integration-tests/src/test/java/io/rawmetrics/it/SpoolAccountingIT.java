package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.fixtures.MethodKinds;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's accounting through the public API, across two recorders sharing a directory: the
 * first says how many points it left in the spool (buffered, not lost), the second how many of
 * them it delivered, and InfluxDB holds exactly those.
 */
class SpoolAccountingIT {

    private static final String COUNT = "SELECT count(application_time) FROM \"raw-requests\""
            + " WHERE \"function\" = 'io.rawmetrics.it.fixtures.MethodKinds.concurrentCall'";

    @TempDir
    Path data;
    @TempDir
    Path spool;

    @AfterEach
    void stopRecorder() {
        RawMetrics.stop(Duration.ofSeconds(5));
    }

    private RawMetricsConfig config(InfluxdProcess influxd) {
        return RawMetricsConfig.builder().url(influxd.url().toString()).database("accounting").bufferCapacity(2_000)
                .batchSize(500).flushInterval(Duration.ofMillis(20)).retryMaxInterval(Duration.ofMillis(500))
                .spoolDirectory(spool).build();
    }

    @Test
    void whatOneRecorderLeavesInTheSpoolTheNextDeliversAndBothSaySo() {
        int port = InfluxdProcess.freePort();
        InfluxdProcess influxd = InfluxdProcess.startIn(data, port);
        RawMetrics.start(config(influxd));
        influxd.kill();
        for (int i = 0; i < 10_000; i++) {
            MethodKinds.concurrentCall(i);
            if (i % 500 == 499) {
                RawMetrics.flush(Duration.ofMillis(50)); // paced: the writer keeps up, the spool takes what waits
            }
        }
        RawMetrics.stop(Duration.ofSeconds(1)); // still down: what is in memory goes to the spool too

        RawMetrics.Stats first = RawMetrics.stats();
        RawMetrics.SpoolStats firstSpool = RawMetrics.spoolStats();
        assertEquals(10_000, first.recorded());
        assertEquals(0, first.dropped(), first.toString());
        assertEquals(10_000, first.buffered(), "in the spool, not lost: " + first);
        assertEquals(new RawMetrics.SpoolStats(10_000, 0, 10_000, 0, 0, 0), firstSpool);

        try (InfluxdProcess restarted = InfluxdProcess.startIn(data, port);
             PointsInInflux points = new PointsInInflux(restarted, "accounting")) {
            RawMetrics.start(config(restarted));
            assertTrue(RawMetrics.flush(Duration.ofSeconds(60)));

            RawMetrics.SpoolStats second = RawMetrics.spoolStats();
            assertEquals(10_000, second.deliveredForOthers(), second.toString());
            assertEquals(0, second.waiting());
            assertEquals(0, RawMetrics.stats().recorded(), "not the second recorder's calls");
            assertEquals(10_000, points.count(COUNT));
        }
    }
}

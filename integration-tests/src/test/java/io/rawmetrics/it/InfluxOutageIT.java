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
 * InfluxDB killed with SIGKILL in the middle of a 20,000-call run and started again on its data:
 * every point kept is delivered after the restart, and every call is accounted for.
 */
class InfluxOutageIT {

    private static final int CALLS = 20_000;
    private static final String COUNT = "SELECT count(application_time) FROM \"raw-requests\""
            + " WHERE \"function\" = 'io.rawmetrics.it.fixtures.MethodKinds.concurrentCall'";

    @TempDir
    Path data;

    @AfterEach
    void stopRecorder() {
        RawMetrics.stop(Duration.ofSeconds(5));
    }

    /** Runs the calls with a kill -9 and a restart of influxd halfway; returns the restarted server. */
    private InfluxdProcess callsAcrossACrash(int bufferCapacity) {
        int port = InfluxdProcess.freePort();
        InfluxdProcess influxd = InfluxdProcess.startIn(data, port);
        RawMetrics.start(RawMetricsConfig.builder().url(influxd.url().toString()).database("outage")
                .bufferCapacity(bufferCapacity).batchSize(Math.min(1000, bufferCapacity))
                .flushInterval(Duration.ofMillis(50)).build());
        for (int i = 0; i < CALLS / 2; i++) {
            MethodKinds.concurrentCall(i);
        }
        assertTrue(RawMetrics.flush(Duration.ofSeconds(30)), "the first half written while the server is up");

        influxd.kill();
        for (int i = CALLS / 2; i < CALLS; i++) {
            assertEquals(i + 1, MethodKinds.concurrentCall(i), "calls work unchanged while InfluxDB is down");
        }
        assertTrue(!RawMetrics.flush(Duration.ofMillis(200)), "nothing can be written while it is down");
        return InfluxdProcess.startIn(data, port);
    }

    @Test
    void everyPointKeptDuringTheOutageIsDeliveredAfterTheRestart() {
        try (InfluxdProcess restarted = callsAcrossACrash(100_000);
             PointsInInflux points = new PointsInInflux(restarted, "outage")) {
            assertTrue(RawMetrics.flush(Duration.ofSeconds(60)), "written once the server is back");

            RawMetrics.Stats stats = RawMetrics.stats();
            assertEquals(new RawMetrics.Stats(CALLS, CALLS, 0, 0, stats.failedWrites(), stats.retries(), 0, 0), stats);
            assertTrue(stats.failedWrites() >= 1 && stats.retries() >= 1, stats.toString());
            assertEquals(CALLS, points.count(COUNT), "every call is a point, none twice");
        }
    }

    @Test
    void withABufferTooSmallForTheOutageDeliveredPlusDroppedIsExactlyRecorded() {
        try (InfluxdProcess restarted = callsAcrossACrash(2_000);
             PointsInInflux points = new PointsInInflux(restarted, "outage")) {
            assertTrue(RawMetrics.flush(Duration.ofSeconds(60)));

            RawMetrics.Stats stats = RawMetrics.stats();
            assertEquals(CALLS, stats.recorded());
            assertEquals(0, stats.buffered());
            assertEquals(CALLS, stats.delivered() + stats.dropped(), stats.toString());
            assertTrue(stats.dropped() >= CALLS / 2 - 2_000, "the outage overflowed the buffer: " + stats);
            assertEquals(stats.delivered(), points.count(COUNT), "what was delivered is what InfluxDB holds");
        }
    }
}

package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.fixtures.MethodKinds;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * InfluxDB behind a proxy that accepts connections and never answers: timed calls never wait for
 * it, writes time out and are retried, and every point arrives once the server answers.
 */
class StallingServerIT {

    private static final int CALLS = 20_000;

    @AfterEach
    void stopRecorder() {
        RawMetrics.stop(Duration.ofSeconds(5));
    }

    @Test
    void aServerThatNeverAnswersDelaysNoCallAndGetsEveryPointWhenItAnswers() throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             StallingProxy proxy = new StallingProxy(influxd.httpPort());
             PointsInInflux points = new PointsInInflux(influxd, "stalled")) {
            RawMetrics.start(RawMetricsConfig.builder().url("http://127.0.0.1:" + proxy.port()).database("stalled")
                    .timeouts(Duration.ofMillis(300), Duration.ofMillis(300)).flushInterval(Duration.ofMillis(50))
                    .build());

            long[] nanos = new long[CALLS];
            for (int i = 0; i < CALLS; i++) {
                long start = System.nanoTime();
                MethodKinds.concurrentCall(i);
                nanos[i] = System.nanoTime() - start;
            }
            assertFalse(RawMetrics.flush(Duration.ofMillis(700)), "nothing is written while the server stalls");

            Arrays.sort(nanos);
            long p99 = nanos[CALLS * 99 / 100];
            // A call that waited on the stalled server would take at least the 300 ms timeout.
            assertTrue(p99 < Duration.ofMillis(5).toNanos(), "p99 of the timed method: " + p99 + " ns");

            proxy.release();
            assertTrue(RawMetrics.flush(Duration.ofSeconds(60)), "written once the server answers");
            assertEquals(CALLS, RawMetrics.stats().delivered());
            assertEquals(CALLS, points.count("SELECT count(application_time) FROM \"raw-requests\""));
        }
    }
}

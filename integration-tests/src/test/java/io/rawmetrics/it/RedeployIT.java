package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.fixtures.PlainService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * An application that starts, stops and starts recording again in one JVM, as a redeployed web
 * application does: after {@code RawMetrics.stop} none of the library's threads is left, and the
 * second run records normally.
 */
class RedeployIT {

    private static final String FUNCTION = "io.rawmetrics.it.fixtures.PlainService.annotatedToo";

    @Test
    void afterStopNoRawmetricsThreadIsLeftAndASecondStartRecordsNormally() {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux first = new PointsInInflux(influxd, "first_deploy");
             PointsInInflux second = new PointsInInflux(influxd, "second_deploy")) {
            PlainService service = new PlainService();

            RawMetrics.start(config(influxd, "first_deploy"));
            for (int i = 0; i < 3000; i++) {
                service.annotatedToo();
            }
            assertTrue(RawMetrics.stop(Duration.ofSeconds(30)));
            awaitNoRawmetricsThread();
            assertEquals(3000, RawMetrics.stats().delivered());

            RawMetrics.start(config(influxd, "second_deploy"));
            for (int i = 0; i < 2000; i++) {
                service.annotatedToo();
            }
            assertTrue(RawMetrics.stop(Duration.ofSeconds(30)));
            awaitNoRawmetricsThread();
            assertEquals(2000, RawMetrics.stats().delivered());

            assertEquals(3000, count(first));
            assertEquals(2000, count(second));
        }
    }

    private static RawMetricsConfig config(InfluxdProcess influxd, String database) {
        return RawMetricsConfig.builder().url(influxd.url().toString()).database(database).build();
    }

    private static long count(PointsInInflux influx) {
        return influx.count("SELECT count(application_time) FROM \"raw-requests\" WHERE function = '" + FUNCTION + "'");
    }

    /** Threads named rawmetrics-... end promptly after a stop: polled, with a deadline. */
    private static void awaitNoRawmetricsThread() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> left;
        while (!(left = rawmetricsThreads()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still running after stop: " + left);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    private static List<String> rawmetricsThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("rawmetrics"))
                .toList();
    }
}

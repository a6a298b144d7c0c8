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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through an outage of a real influxd (SIGKILL, then started again on its data): the writer
 * notices promptly that the server is back, a stop does not wait out a back-off, and calls dropped
 * meanwhile are said while they are being dropped, not only once it is over.
 */
class OutageRecoveryIT {

    private static final String COUNT = "SELECT count(application_time) FROM \"raw-requests\""
            + " WHERE \"function\" = 'io.rawmetrics.it.fixtures.MethodKinds.concurrentCall'";

    @TempDir
    Path data;

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void stopRecorder() {
        RawMetrics.stop(Duration.ofSeconds(5));
        Logger.getLogger("io.rawmetrics").removeHandler(capture);
    }

    private static void calls(int from, int to) {
        for (int i = from; i < to; i++) {
            MethodKinds.concurrentCall(i);
        }
    }

    /** Starts recording to a server in {@link #data}, writes 1,000 calls, kills the server and makes 1,000 more. */
    private InfluxdProcess recordIntoAnOutage(int port, RawMetricsConfig.Builder config) {
        InfluxdProcess influxd = InfluxdProcess.startIn(data, port);
        RawMetrics.start(config.url(influxd.url().toString()).database("recovery").flushInterval(Duration.ofMillis(50)).build());
        calls(0, 1_000);
        assertTrue(RawMetrics.flush(Duration.ofSeconds(30)), "the first calls written while the server is up");
        influxd.kill();
        calls(1_000, 2_000);
        return influxd;
    }

    @Test
    void aServerThatIsBackIsWrittenToWithinTenSecondsWithTheDefaultBackOff() throws Exception {
        int port = InfluxdProcess.freePort();
        recordIntoAnOutage(port, RawMetricsConfig.builder());
        // Nine failed attempts: uncapped, the back-off would now wait 12.8 to 25.6 s; capped at 5 s by default.
        assertTrue(Await.until(Duration.ofSeconds(60), () -> RawMetrics.stats().failedWrites() >= 9), RawMetrics.stats().toString());

        try (InfluxdProcess restarted = InfluxdProcess.startIn(data, port);
             PointsInInflux points = new PointsInInflux(restarted, "recovery")) {
            long back = System.nanoTime();
            // No flush: a flush would make the attempt at once. The writer must notice by itself.
            assertTrue(Await.until(Duration.ofSeconds(60), () -> RawMetrics.stats().delivered() == 2_000), RawMetrics.stats().toString());
            long seconds = (System.nanoTime() - back) / 1_000_000_000L;

            assertTrue(seconds < 10, "written to " + seconds + " s after the server was back");
            assertEquals(2_000, points.count(COUNT));
        }
    }

    @Test
    void aStopDuringAnOutageMakesAnAttemptAtOnceAndDeliversWhatWaits() throws Exception {
        int port = InfluxdProcess.freePort();
        // A long maximum: the wait after the seventh failure is 6.4 to 12.8 s, longer than the stop's 5 s.
        recordIntoAnOutage(port, RawMetricsConfig.builder().retryMaxInterval(Duration.ofMinutes(1)));
        assertTrue(Await.until(Duration.ofSeconds(60), () -> RawMetrics.stats().failedWrites() >= 7), RawMetrics.stats().toString());

        try (InfluxdProcess restarted = InfluxdProcess.startIn(data, port);
             PointsInInflux points = new PointsInInflux(restarted, "recovery")) {
            assertTrue(RawMetrics.stop(Duration.ofSeconds(5)), "the stop wrote everything within its deadline");

            RawMetrics.Stats stats = RawMetrics.stats();
            assertEquals(2_000, stats.delivered(), stats.toString());
            assertEquals(0, stats.dropped(), stats.toString());
            assertEquals(2_000, points.count(COUNT));
        }
    }

    @Test
    void callsDroppedWhileTheServerIsDownAreSaidWhileTheyAreDropped() throws Exception {
        int port = InfluxdProcess.freePort();
        Logger.getLogger("io.rawmetrics").addHandler(capture);
        recordIntoAnOutage(port, RawMetricsConfig.builder().bufferCapacity(2_000).batchSize(500));
        assertTrue(Await.until(Duration.ofSeconds(30), () -> RawMetrics.stats().failedWrites() >= 2), "the writer is retrying");
        calls(2_000, 6_000); // the buffer holds 2,000, the batch being retried included: the rest is dropped

        assertTrue(Await.until(Duration.ofSeconds(61), () -> warnings.stream().anyMatch(w -> w.contains("dropped because"))),
                "a loss warning while the server is still down: " + warnings);
        String warning = warnings.stream().filter(w -> w.contains("dropped because")).findFirst().orElseThrow();
        assertTrue(warning.contains("2,000 points were already waiting to be written (rawmetrics.buffer-capacity)"), warning);
        RawMetrics.Stats stats = RawMetrics.stats();
        assertEquals(1_000, stats.delivered(), "the writer is still retrying: " + stats);
        assertTrue(stats.dropped() >= 2_000, stats.toString());

        RawMetrics.stop(Duration.ofMillis(500));
        RawMetrics.Stats end = RawMetrics.stats();
        assertEquals(6_000, end.delivered() + end.dropped(), "every call accounted for: " + end);
    }
}

package io.rawmetrics.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.LogCapture;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.delivery.InfluxDbLineSender;
import io.rawmetrics.internal.writer.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool against a real influxd killed (SIGKILL) and started again on its data: an outage
 * longer than the memory buffer loses nothing, and what a recorder could not deliver before it
 * stopped is delivered by the next one that starts with the same directory.
 */
class SpoolIT {

    private static final TimedFunction SITE = TimedFunction.named("App.handle");
    /** The memory buffer: a tenth of the calls made during the outage. */
    private static final int BUFFER = 2_000;

    @TempDir
    Path data;
    @TempDir
    Path spoolDirectory;

    private Pipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    /** The settings every test starts from: a small buffer, a short back-off, the spool on. */
    private RawMetricsConfig.Builder config(InfluxdProcess influxd) {
        return RawMetricsConfig.builder().url(influxd.url().toString()).database("spooled").bufferCapacity(BUFFER)
                .batchSize(500).flushInterval(Duration.ofMillis(20)).retryMaxInterval(Duration.ofMillis(500))
                .spoolDirectory(spoolDirectory);
    }

    private Pipeline start(InfluxdProcess influxd, String process) {
        return start(config(influxd), process);
    }

    private static Pipeline start(RawMetricsConfig.Builder settings, String process) {
        RawMetricsConfig config = settings.build();
        return new Pipeline(config, new InfluxDbLineSender(config), new HostIdentity("h", process), Clock.SYSTEM);
    }

    /** {@code calls} calls, each ending 1 µs after the last: every one a distinct point. */
    private static void calls(Pipeline pipeline, int calls) {
        for (int i = 0; i < calls; i++) {
            long end = System.nanoTime();
            pipeline.record(SITE, end - 1_000, end, null);
        }
    }

    private long count(PointsInInflux points, String process) {
        return points.count("SELECT count(application_time) FROM \"raw-requests\" WHERE \"process\" = '" + process + "'");
    }

    private long spoolFiles() throws Exception {
        try (Stream<Path> files = Files.list(spoolDirectory)) {
            return files.filter(f -> f.toString().endsWith(".spool")).count();
        }
    }

    @Test
    void anOutageTenTimesLongerThanTheBufferLosesNothing() throws Exception {
        int port = InfluxdProcess.freePort();
        InfluxdProcess influxd = InfluxdProcess.startIn(data, port);
        pipeline = start(influxd, "h:1");
        calls(pipeline, 1_000);
        assertTrue(pipeline.flush(Duration.ofSeconds(30)));
        influxd.kill();

        // 20,000 calls while the server is down, paced so that the writer keeps up: the buffer holds 2,000.
        for (int i = 0; i < 40; i++) {
            calls(pipeline, 500);
            pipeline.flush(Duration.ofMillis(50));
        }
        assertEquals(0, pipeline.dropped(), "nothing dropped: the spool takes what the buffer cannot hold");
        assertTrue(pipeline.inSpool() >= 20_000 - BUFFER, "put aside: " + pipeline.inSpool());

        try (InfluxdProcess restarted = InfluxdProcess.startIn(data, port);
             PointsInInflux points = new PointsInInflux(restarted, "spooled")) {
            assertTrue(pipeline.flush(Duration.ofSeconds(60)));
            assertTrue(pipeline.flush(Duration.ofSeconds(60)), "and the spool replayed");

            assertEquals(21_000, pipeline.recorded());
            assertEquals(21_000, pipeline.delivered(), "delivered, from memory and from the spool");
            assertEquals(0, pipeline.dropped());
            assertEquals(0, pipeline.inSpool());
            assertEquals(21_000, count(points, "h:1"), "every call a point, none twice");
            assertEquals(0, spoolFiles(), "the spool's files are deleted once delivered");
        }
    }

    @Test
    void whatARecorderCouldNotDeliverIsDeliveredByTheNextOneWithTheSameDirectory() throws Exception {
        int port = InfluxdProcess.freePort();
        InfluxdProcess influxd = InfluxdProcess.startIn(data, port);
        Pipeline first = start(influxd, "h:1");
        influxd.kill();
        for (int i = 0; i < 20; i++) {
            calls(first, 500);
            first.flush(Duration.ofMillis(50));
        }
        try (LogCapture log = new LogCapture()) {
            first.shutdown(Duration.ofSeconds(1)); // the server is still down: what is left goes to the spool too
            assertEquals(0, first.dropped(), "nothing lost: " + log.messages());
            assertEquals(10_000, first.inSpool());
            assertTrue(log.messages().stream().anyMatch(m -> m.contains("10000 points wait in the spool " + spoolDirectory)),
                    log.messages().toString());
        }

        try (InfluxdProcess restarted = InfluxdProcess.startIn(data, port);
             PointsInInflux points = new PointsInInflux(restarted, "spooled")) {
            pipeline = start(restarted, "h:2");
            assertTrue(pipeline.flush(Duration.ofSeconds(60)));

            assertEquals(10_000, pipeline.spool().replayedOthers(), "the next recorder delivered them");
            assertEquals(10_000, count(points, "h:1"), "with their own process tag and timestamps");
            assertEquals(0, pipeline.recorded(), "not its own calls");
            assertEquals(0, spoolFiles());
        }
    }

    @Test
    void atTheSpoolsCapTheNewestCallsAreDroppedAndCountedAndEveryCallIsAccountedFor() throws Exception {
        int port = InfluxdProcess.freePort();
        InfluxdProcess influxd = InfluxdProcess.startIn(data, port);
        pipeline = start(config(influxd).spoolMaxBytes(1 << 20), "h:1");
        influxd.kill();
        for (int i = 0; i < 80; i++) { // 40,000 calls of about 110 bytes: 4 MiB, four times the cap
            calls(pipeline, 500);
            pipeline.flush(Duration.ofMillis(50));
        }
        assertTrue(pipeline.spool().bytes() <= 1 << 20, "the cap holds: " + pipeline.spool().bytes());
        assertTrue(pipeline.dropped() > 0, "beyond the cap and the buffer, calls are dropped");

        try (InfluxdProcess restarted = InfluxdProcess.startIn(data, port);
             PointsInInflux points = new PointsInInflux(restarted, "spooled")) {
            assertTrue(pipeline.flush(Duration.ofSeconds(60)));
            assertTrue(pipeline.flush(Duration.ofSeconds(60)));

            assertEquals(40_000, pipeline.recorded());
            assertEquals(40_000, pipeline.delivered() + pipeline.dropped(), "delivered + dropped = calls made");
            assertEquals(pipeline.delivered(), count(points, "h:1"));
            assertEquals(pipeline.dropped(), pipeline.losses().bufferFull(), "dropped because the buffer was full, the spool too");
        }
    }

    @Test
    void aSpoolDirectoryThatCannotBeWrittenIsAWarningNamingItAndMemoryServesAsWithoutOne() throws Exception {
        int port = InfluxdProcess.freePort();
        InfluxdProcess influxd = InfluxdProcess.startIn(data, port);
        Path notADirectory = Files.writeString(spoolDirectory.resolve("occupied"), "a file where the spool should be");
        try (LogCapture log = new LogCapture()) {
            pipeline = start(config(influxd).spoolDirectory(notADirectory), "h:1");
            influxd.kill();
            for (int i = 0; i < 20; i++) {
                calls(pipeline, 500); // recording never touches the disk: only the writer thread does
            }

            assertTrue(log.messages().stream().anyMatch(m -> m.contains("cannot write to the spool directory " + notADirectory)),
                    log.messages().toString());
            pipeline.shutdown(Duration.ofMillis(200));
            assertEquals(10_000, pipeline.delivered() + pipeline.dropped(), "memory only, as without a spool, every call accounted for");
            pipeline = null;
        }
    }

    @Test
    void aggregatedIntervalsLeftAtAStopAreDeliveredByTheNextRecorderEachItsOwnPoint() throws Exception {
        int port = InfluxdProcess.freePort();
        InfluxdProcess influxd = InfluxdProcess.startIn(data, port);
        Pipeline first = start(config(influxd).bufferCapacity(100_000).mode(RawMetricsConfig.Mode.AGGREGATED)
                .aggregationInterval(Duration.ofMillis(100)), "h:1");
        influxd.kill();
        int calls = 0;
        long until = System.nanoTime() + Duration.ofMillis(1_000).toNanos();
        while (System.nanoTime() < until) { // about ten intervals of calls
            first.recorder().entered();
            long end = System.nanoTime();
            first.recorder().record(SITE, end - 1_000, end, null);
            calls++;
        }
        String waiting = "the aggregated points of " + calls + " calls wait in the spool";
        try (LogCapture log = new LogCapture()) {
            first.shutdown(Duration.ofMillis(500)); // the server is still down: the intervals go to the spool
            assertTrue(log.messages().stream().anyMatch(m -> m.contains(waiting)),
                    log.messages().toString());
            assertEquals(0, first.losses().total(), log.messages().toString());
        }

        try (InfluxdProcess restarted = InfluxdProcess.startIn(data, port);
             PointsInInflux points = new PointsInInflux(restarted, "spooled")) {
            pipeline = start(restarted, "h:2");
            assertTrue(pipeline.flush(Duration.ofSeconds(60)));

            var intervals = points.select("SELECT \"count\" FROM \"function-metrics\" WHERE \"process\" = 'h:1'");
            assertTrue(intervals.size() >= 9, "each interval its own point: " + intervals.size());
            assertEquals((long) calls, intervals.stream().mapToLong(row -> ((Number) row.get("count")).longValue()).sum());
            assertEquals(0, spoolFiles());
        }
    }

    @Test
    void inModeBothARecorderStoppedWhileSpoolingLeavesItsRawAndAggregatedPointsForTheNext() throws Exception {
        int port = InfluxdProcess.freePort();
        InfluxdProcess influxd = InfluxdProcess.startIn(data, port);
        Pipeline first = start(config(influxd).mode(RawMetricsConfig.Mode.BOTH).aggregationInterval(Duration.ofMillis(100)),
                "h:1");
        influxd.kill();
        for (int i = 0; i < 20; i++) { // 10,000 calls, five times the buffer: raw batches are put aside
            for (int c = 0; c < 500; c++) {
                first.recorder().entered();
                long end = System.nanoTime();
                first.recorder().record(SITE, end - 1_000, end, null);
            }
            first.flush(Duration.ofMillis(50));
        }
        try (LogCapture log = new LogCapture()) {
            first.shutdown(Duration.ofMillis(500));
            assertEquals(0, first.losses().total(), log.messages().toString());
            assertEquals(10_000, first.inSpool());
            assertTrue(log.messages().stream().anyMatch(m -> m.contains("10000 points and the aggregated points of 10000 calls"
                    + " wait in the spool")), log.messages().toString());
        }

        try (InfluxdProcess restarted = InfluxdProcess.startIn(data, port);
             PointsInInflux points = new PointsInInflux(restarted, "spooled")) {
            pipeline = start(restarted, "h:2");
            assertTrue(pipeline.flush(Duration.ofSeconds(60)));

            assertEquals(10_000, count(points, "h:1"));
            var intervals = points.select("SELECT \"count\" FROM \"function-metrics\" WHERE \"process\" = 'h:1'");
            assertEquals(10_000L, intervals.stream().mapToLong(row -> ((Number) row.get("count")).longValue()).sum());
            assertEquals(0, spoolFiles());
        }
    }
}

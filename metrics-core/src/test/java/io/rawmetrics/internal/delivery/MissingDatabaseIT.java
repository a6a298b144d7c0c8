package io.rawmetrics.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.LogCapture;
import io.rawmetrics.internal.TestCalls;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.writer.Pipeline;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The target database missing, with and without rawmetrics.influxdb.create-database, against a real influxd. */
class MissingDatabaseIT {

    private static InfluxdProcess influxd;

    @BeforeAll
    static void start() {
        influxd = InfluxdProcess.startTemporary();
    }

    @AfterAll
    static void stop() {
        influxd.close();
    }

    private static Pipeline pipeline(String database, boolean create) {
        RawMetricsConfig config = RawMetricsConfig.builder().url(influxd.url().toString()).database(database)
                .createDatabase(create).flushInterval(Duration.ofHours(1)).build();
        return new Pipeline(config, new InfluxDbLineSender(config), new HostIdentity("h", "h:1"), Clock.SYSTEM);
    }

    private static void record(Pipeline pipeline, int calls) {
        TestCalls.record(pipeline, TimedFunction.named("App.f"), calls);
    }

    @Test
    void aDatabaseDroppedWhileRunningIsCreatedAgainAndTheBatchWritten() throws Exception {
        Pipeline pipeline = pipeline("recreated", true);
        try (PointsInInflux points = new PointsInInflux(influxd, "recreated")) {
            record(pipeline, 5);
            assertTrue(pipeline.flush(Duration.ofSeconds(30)));
            points.select("DROP DATABASE recreated");

            record(pipeline, 7);
            assertTrue(pipeline.flush(Duration.ofSeconds(30)));
            assertEquals(12, pipeline.delivered());
            assertEquals(0, pipeline.dropped());
            assertEquals(7, points.count("SELECT count(application_time) FROM \"raw-requests\""));
        } finally {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void withoutAutoCreateTheWritesAreRefusedWithAClearError() {
        List<String> logged;
        try (LogCapture log = new LogCapture()) {
            Pipeline pipeline = pipeline("never_created", false);
            try {
                record(pipeline, 4);
                assertTrue(pipeline.flush(Duration.ofSeconds(30)), "refused at once, not retried");
                assertEquals(4, pipeline.dropped());
            } finally {
                pipeline.shutdown(Duration.ofSeconds(5));
            }
            logged = log.messages();
        }
        assertTrue(logged.stream().anyMatch(m -> m.contains("database not found")
                && m.contains("create database never_created, or set rawmetrics.influxdb.create-database=true")), logged.toString());
    }
}

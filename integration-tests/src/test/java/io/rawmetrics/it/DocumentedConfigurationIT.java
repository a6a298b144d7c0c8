package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.fixtures.EnglishGreeter;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The configuration code in docs/configuration.md and docs/getting-started.md, as written there
 * but for the URL (a private influxd here, {@code http://localhost:8086} in the docs): it starts
 * the recorder, and timed calls land in the database it names.
 */
class DocumentedConfigurationIT {

    private static final String GREET = "io.rawmetrics.it.fixtures.Greeter.greet";

    private static InfluxdProcess influxd;

    @BeforeAll
    static void startInfluxd() {
        influxd = InfluxdProcess.startTemporary();
    }

    @AfterAll
    static void stopInfluxd() {
        influxd.close();
    }

    @AfterEach
    void stopRecorder() {
        RawMetrics.stop(Duration.ofSeconds(10));
        System.clearProperty("rawmetrics.influxdb.url");
    }

    @Test
    void configurationMdsCodeStartsARecorderWritingToItsDatabase() {
        RawMetrics.start(RawMetricsConfig.builder()
                .url(influxd.url().toString())
                .database("wsgi")
                .credentials("wsgi", "wsgi")
                .flushInterval(Duration.ofMillis(500))
                .build());

        new EnglishGreeter().greet("docs");

        assertTrue(RawMetrics.flush(Duration.ofSeconds(30)));
        try (PointsInInflux influx = new PointsInInflux(influxd, "wsgi")) {
            assertEquals(1, influx.pointsOf("raw-requests", GREET).size());
        }
    }

    @Test
    void gettingStartedsCodeKeepsTheEnvironmentsSettingsAndChangesTheDatabase() {
        System.setProperty("rawmetrics.influxdb.url", influxd.url().toString());

        RawMetrics.start(RawMetricsConfig.fromEnvironment().toBuilder()
                .database("shop")
                .build());

        new EnglishGreeter().greet("docs");

        assertTrue(RawMetrics.flush(Duration.ofSeconds(30)));
        try (PointsInInflux influx = new PointsInInflux(influxd, "shop")) {
            assertEquals(1, influx.pointsOf("raw-requests", GREET).size());
        }
    }
}

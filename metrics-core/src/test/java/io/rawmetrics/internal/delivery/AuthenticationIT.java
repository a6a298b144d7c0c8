package io.rawmetrics.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.LogCapture;
import io.rawmetrics.internal.TestCalls;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.writer.Pipeline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Basic authentication against a real influxd with {@code auth-enabled = true}. */
class AuthenticationIT {

    private static final String USER = "wsgi";
    private static final String PASSWORD = "s3cret-pa55";
    private static InfluxdProcess influxd;

    private LogCapture log;

    @BeforeAll
    static void start() {
        influxd = InfluxdProcess.startTemporaryWithAuth(USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        influxd.close();
    }

    @BeforeEach
    void captureLog() {
        log = new LogCapture();
    }

    @AfterEach
    void releaseLog() {
        log.close();
    }

    private Pipeline pipeline(String password) {
        RawMetricsConfig config = RawMetricsConfig.builder().url(influxd.url().toString()).database("secured")
                .credentials(USER, password).flushInterval(Duration.ofHours(1)).build();
        return new Pipeline(config, new InfluxDbLineSender(config), new HostIdentity("h", "h:1"), Clock.SYSTEM);
    }

    private static void record(Pipeline pipeline, int calls) {
        TestCalls.record(pipeline, TimedFunction.named("App.secured"), calls);
    }

    @Test
    void rightCredentialsCreateTheDatabaseAndWriteThePoints() {
        Pipeline pipeline = pipeline(PASSWORD);
        try {
            record(pipeline, 25);
            assertTrue(pipeline.flush(Duration.ofSeconds(30)));
            assertEquals(25, pipeline.delivered());
        } finally {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
        InfluxDB admin = InfluxDBFactory.connect(influxd.url().toString(), USER, PASSWORD);
        try {
            QueryResult result = admin.query(new Query("SELECT count(application_time) FROM \"raw-requests\"", "secured"),
                    TimeUnit.NANOSECONDS);
            assertEquals(25.0, result.getResults().get(0).getSeries().get(0).getValues().get(0).get(1));
        } finally {
            admin.close();
        }
    }

    @Test
    void aWrongPasswordIsOneClearErrorNamingTheUserNeverThePasswordAndNoRetries() {
        Pipeline pipeline = pipeline("wrong-password");
        try {
            record(pipeline, 10);
            assertTrue(pipeline.flush(Duration.ofSeconds(30)), "refused at once, not retried");
            record(pipeline, 10);
            assertTrue(pipeline.flush(Duration.ofSeconds(30)));

            assertEquals(0, pipeline.delivered());
            assertEquals(20, pipeline.dropped());
        } finally {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
        List<String> logged = log.messages();
        List<String> refusals = logged.stream().filter(m -> m.contains("which are dropped")).toList();
        assertEquals(1, refusals.size(), "one message, not one per batch: " + logged);
        assertTrue(logged.contains("rawmetrics: of 20 calls recorded, 20 calls were not written to "
                + influxd.url() + " (user wsgi): 20 refused by the server"), "the count at stop: " + logged);
        assertTrue(refusals.get(0).contains("(user wsgi)"), refusals.get(0));
        assertTrue(logged.stream().anyMatch(m -> m.contains("(user wsgi)") && m.contains("CREATE DATABASE")), logged.toString());
        assertFalse(logged.stream().anyMatch(m -> m.contains("wrong-password") || m.contains(PASSWORD)), logged.toString());
    }
}

package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.fixtures.WideTags;
import java.time.Duration;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Points much larger than usual, against a real influxd: batches are bounded by bytes, so 65 kB
 * points are all stored; and a point larger than the server takes is dropped alone, counted and
 * named, while every other point, of its function's neighbours, is stored.
 */
class LargePointsIT {

    private static final int CALLS = 1000;
    private static final List<String> ORDINARY = List.of("a", "b", "c", "d", "e", "f");
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void stopRecording() {
        RawMetrics.stop(Duration.ofSeconds(10));
        Logger.getLogger("io.rawmetrics").removeHandler(capture);
    }

    private static void callEachMethod(WideTags fixture) {
        for (int i = 0; i < CALLS; i++) {
            fixture.wide();
            fixture.a();
            fixture.b();
            fixture.c();
            fixture.d();
            fixture.e();
            fixture.f();
        }
    }

    @Test
    void pointsOf65KilobytesAreAllStoredWithTheDefaultSettings() {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "wide")) {
            RawMetrics.start(RawMetricsConfig.builder().url(influxd.url().toString()).database("wide").build());
            Logger.getLogger("io.rawmetrics").addHandler(capture);

            callEachMethod(new WideTags());
            assertTrue(RawMetrics.stop(Duration.ofSeconds(60)));

            assertEquals(CALLS, count(influx, "wide"));
            for (String function : ORDINARY) {
                assertEquals(CALLS, count(influx, function), function);
            }
            RawMetrics.Stats stats = RawMetrics.stats();
            assertEquals(7 * CALLS, stats.delivered());
            assertEquals(0, stats.dropped());
            assertEquals(List.of(), logged, "nothing to say");
        }
    }

    @Test
    void aPointLargerThanTheServerTakesIsDroppedAloneCountedAndNamed() {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporaryWithMaxBodySize(32 * 1024);
             PointsInInflux influx = new PointsInInflux(influxd, "narrow")) {
            RawMetrics.start(RawMetricsConfig.builder().url(influxd.url().toString()).database("narrow").build());
            Logger.getLogger("io.rawmetrics").addHandler(capture);

            callEachMethod(new WideTags());
            assertTrue(RawMetrics.stop(Duration.ofSeconds(60)));

            for (String function : ORDINARY) {
                assertEquals(CALLS, count(influx, function), function + ": every point of every other function");
            }
            assertEquals(0, count(influx, "wide"));
            RawMetrics.Stats stats = RawMetrics.stats();
            assertEquals(6 * CALLS, stats.delivered());
            assertEquals(CALLS, stats.dropped());
            List<String> named = logged.stream()
                    .filter(m -> m.contains("refused a point of io.rawmetrics.it.fixtures.WideTags.wide")).toList();
            assertEquals(1, named.size(), "once: " + logged);
            assertTrue(named.get(0).contains("HTTP 413"), named.get(0));
            assertTrue(logged.contains("rawmetrics: of 7,000 calls recorded, 1,000 calls were not written to "
                    + influxd.url() + ": 1,000 refused by the server"), logged.toString());
        }
    }

    private static long count(PointsInInflux influx, String method) {
        return influx.count("SELECT count(application_time) FROM \"raw-requests\" WHERE function = "
                + "'io.rawmetrics.it.fixtures.WideTags." + method + "'");
    }
}

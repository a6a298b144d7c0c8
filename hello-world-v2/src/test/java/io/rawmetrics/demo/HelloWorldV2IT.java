package io.rawmetrics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each variant served for real, loaded from several client threads, its points read back from influxd. */
class HelloWorldV2IT {

    private static InfluxdProcess influxd;

    @TempDir
    Path notUsedWhileInfluxdAnswers;

    @BeforeAll
    static void start() {
        influxd = InfluxdProcess.startTemporary();
    }

    @AfterAll
    static void stop() {
        influxd.close();
    }

    /** The workshop's settings, on the test's server, in a database of the test's own. */
    private static RawMetricsConfig config(String database) {
        return HelloWorldV2.WORKSHOP_DEFAULTS.toBuilder().spoolDirectory(null).url(influxd.url().toString()).database(database).build();
    }

    /** Serves {@code app} on a free port, sends {@code requests} requests, stops, and returns its points. */
    private List<Map<String, Object>> serveAndLoad(RawMetricsConfig config, String app, int requests, String[] banner)
            throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        DemoOptions options = DemoOptions.parse(List.of(app, "--port", "0", "--threads", "5"));
        HelloWorldV2.Running running = HelloWorldV2.serve(options, config, notUsedWhileInfluxdAnswers, out);
        try {
            DemoTraffic.send(URI.create("http://localhost:" + running.port() + "/"), requests, 8);
        } finally {
            running.close();
        }
        banner[0] = printed.toString(StandardCharsets.UTF_8);
        try (PointsInInflux influx = new PointsInInflux(influxd, config.database())) {
            return influx.select("SELECT * FROM \"raw-requests\" WHERE \"function\" = 'io.rawmetrics.demo."
                + options.application().replace("wsgi-1", "HelloWorld1").replace("wsgi-2-trap", "HelloWorld2Trap")
                .replace("wsgi-2", "HelloWorld2") + ".application'");
        }
    }

    @Test
    void wsgi1AnswersAtOnceAndEveryRequestIsOnePoint() throws Exception {
        String[] banner = new String[1];
        List<Map<String, Object>> points = serveAndLoad(config("wsgi"), "wsgi-1", 2000, banner);

        StopLine stopped = StopLine.in(banner[0]).assertOnePointPerRequestServed(2000);
        assertEquals(stopped.served(), points.size(), "a point per request served");
        double total = 0;
        for (Map<String, Object> point : points) {
            assertEquals("ok", point.get("outcome"));
            // Far below wsgi-2's 50 ms, even for a call that met a GC pause.
            assertTrue((Double) point.get("application_time") < 0.050, point.toString());
            total += (Double) point.get("application_time");
        }
        assertTrue(total / points.size() < 0.001, "mean application_time " + total / points.size());
        assertTrue(banner[0].contains("Application        : wsgi-1"), banner[0]);
        assertTrue(banner[0].contains("Threads            : 5"), banner[0]);
        assertTrue(banner[0].contains("InfluxDB URL       : " + influxd.url()), banner[0]);
        assertTrue(banner[0].contains("InfluxDB database  : wsgi (user wsgi)"), banner[0]);
        assertFalse(banner[0].toLowerCase().contains("password"), "no password shown: " + banner[0]);
    }

    @Test
    void tagPathTagsEachRequestsPointByItsPathWithExactCounts() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DemoOptions options = DemoOptions.parse(List.of("wsgi-1", "--tag-path", "--port", "0"));
        HelloWorldV2.Running running = HelloWorldV2.serve(options, config("wsgi_paths"), notUsedWhileInfluxdAnswers,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            for (String path : List.of("/", "/orders", "/orders?id=7", "/users/ann", "/a%20b")) {
                DemoTraffic.send(URI.create("http://localhost:" + running.port() + path), 40, 4);
            }
        } finally {
            running.close();
        }
        String banner = printed.toString(StandardCharsets.UTF_8);
        assertTrue(banner.contains("Tags               : path, at most 100 distinct (rawmetrics.max-tag-values)"), banner);
        try (PointsInInflux influx = new PointsInInflux(influxd, "wsgi_paths")) {
            Map<String, Long> perPath = new java.util.TreeMap<>();
            influx.select("SELECT * FROM \"raw-requests\" WHERE \"function\" = 'io.rawmetrics.demo.HelloWorld1ByPath.application'")
                    .forEach(point -> perPath.merge((String) point.get("path"), 1L, Long::sum));
            // The query is not part of the path; the path is as the server read it from the request line.
            assertEquals(Map.of("/", 40L, "/orders", 80L, "/users/ann", 40L, "/a%20b", 40L), perPath);
        }
    }

    @Test
    void wsgi2IsTimedUntilItsLazyBodyIsWrittenNotUntilItReturns() throws Exception {
        String[] banner = new String[1];
        List<Map<String, Object>> points = serveAndLoad(config("wsgi2"), "wsgi-2", 100, banner);

        assertEquals(StopLine.in(banner[0]).assertOnePointPerRequestServed(100).served(), points.size());
        for (Map<String, Object> point : points) {
            assertTrue((Double) point.get("application_time") >= 0.050, point.toString());
        }
    }

    @Test
    void wsgi2TrapShowsTheGeneratorTrapMicrosecondsInsteadOfFiftyMilliseconds() throws Exception {
        String[] banner = new String[1];
        List<Map<String, Object>> points = serveAndLoad(config("trap"), "wsgi-2-trap", 50, banner);

        assertEquals(StopLine.in(banner[0]).assertOnePointPerRequestServed(50).served(), points.size());
        for (Map<String, Object> point : points) {
            assertTrue((Double) point.get("application_time") < 0.050, point.toString());
        }
    }

    @Test
    void reportPrintsOneRowPerSecondAndASummaryMatchingThePoints() throws Exception {
        String[] banner = new String[1];
        RawMetricsConfig config = config("report");
        serveAndLoad(config, "wsgi-1", 300, banner);
        long served = StopLine.in(banner[0]).assertOnePointPerRequestServed(300).served();

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Report.print(config, 60, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String report = printed.toString(StandardCharsets.UTF_8);

        String[] lines = report.split("\n");
        assertTrue(lines[1].startsWith("time (UTC)") && lines[1].contains("requests/s"), report);
        assertTrue(lines.length >= 60 + 3, "a row per second of the last 60: " + report);
        long summed = 0;
        for (int i = 2; i < lines.length - 1; i++) {
            summed += Long.parseLong(lines[i].trim().split("\\s+")[1]);
        }
        assertEquals(served, summed, report);
        assertTrue(lines[lines.length - 1].startsWith("total: " + served + " requests in 60 s, "
                + String.format(java.util.Locale.ROOT, "%.1f", served / 60.0) + " requests/s, mean "), report);
    }
}

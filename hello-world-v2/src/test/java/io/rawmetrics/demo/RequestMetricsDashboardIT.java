package io.rawmetrics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo with {@code --metrics aggregated}: after real traffic, every query of the workshop's
 * Request Metrics dashboard (ours in docs/grafana, and the original unchanged) returns data,
 * but for {@code daemon_time}, which has no Java counterpart; and {@code report} shows it.
 */
class RequestMetricsDashboardIT {

    private static final Path OURS = Path.of("..", "docs", "grafana", "dashboards", "request-metrics.json");
    private static final Path WORKSHOP = Path.of("src", "test", "resources", "workshop", "request-metrics.dashboard.json");
    private static final String TIME_FILTER = "time > now() - 5m";
    private static final int REQUESTS = 400;

    private static InfluxdProcess influxd;
    private static PointsInInflux influx;
    private static RawMetricsConfig config;
    private static String banner;

    @BeforeAll
    static void traffic(@TempDir Path notUsedWhileInfluxdAnswers) throws Exception {
        influxd = InfluxdProcess.startTemporary();
        influx = new PointsInInflux(influxd, "wsgi");
        config = HelloWorldV2.WORKSHOP_DEFAULTS.toBuilder().spoolDirectory(null).url(influxd.url().toString()).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HelloWorldV2.Running running = HelloWorldV2.serve(
                DemoOptions.parse(List.of("wsgi-2", "--port", "0", "--metrics", "aggregated")),
                config, notUsedWhileInfluxdAnswers, new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            DemoTraffic.send(URI.create("http://localhost:" + running.port() + "/"), REQUESTS, 10);
        } finally {
            running.close();
        }
        banner = out.toString(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        influx.close();
        influxd.close();
    }

    private static void everyQueryButDaemonTimeReturnsData(Path dashboard) throws Exception {
        List<GrafanaTargets.PanelQuery> queries = GrafanaTargets.queries(dashboard, TIME_FILTER, "1s");
        assertEquals(18, queries.size(), queries.toString());
        for (GrafanaTargets.PanelQuery query : queries) {
            List<Map<String, Object>> rows = influx.select(query.influxql());
            boolean data = rows.stream().anyMatch(row -> row.entrySet().stream()
                    .anyMatch(e -> !e.getKey().equals("time") && e.getValue() != null));
            if (query.influxql().contains("daemon_time")) {
                assertFalse(data, "daemon_time has no Java counterpart and is not written: " + query);
            } else {
                assertTrue(data, query + " " + rows);
            }
        }
    }

    @Test
    void ourRequestMetricsDashboardsQueriesReturnTheDemosData() throws Exception {
        everyQueryButDaemonTimeReturnsData(OURS);
    }

    @Test
    void theWorkshopsOriginalRequestMetricsDashboardWorksUnchanged() throws Exception {
        everyQueryButDaemonTimeReturnsData(WORKSHOP);
    }

    @Test
    void everyRequestIsCountedOnceAndNoRawPointIsWritten() {
        long requests = influx.select("SELECT sum(\"requests\") FROM \"request-metrics\"").stream()
                .mapToLong(row -> ((Number) row.get("sum")).longValue()).sum();
        assertEquals(REQUESTS, requests, banner);
        assertEquals(REQUESTS, ((Number) influx.select("SELECT sum(\"count\") FROM \"function-metrics\"")
                .get(0).get("sum")).longValue());
        assertEquals(0, influx.count("SELECT count(*) FROM \"raw-requests\""));
        // wsgi-2 sleeps 50 ms: no request is in a bucket below (40 ms, 80 ms], labelled 0.04, and most are in it.
        assertEquals(REQUESTS, ((Number) influx.select("SELECT sum(\"application_time_bucket\") FROM \"request-metrics\"")
                .get(0).get("sum")).longValue());
        assertEquals(0, ((Number) influx.select("SELECT sum(\"application_time_bucket\") FROM \"request-metrics\""
                + " WHERE \"time_bucket\" =~ /^0\\.(0|005|01|02)$/").get(0).get("sum")).longValue());
        assertTrue(((Number) influx.select("SELECT sum(\"application_time_bucket\") FROM \"request-metrics\""
                + " WHERE \"time_bucket\" = '0.04'").get(0).get("sum")).longValue() >= REQUESTS * 9 / 10);
        Map<String, Object> last = influx.select("SELECT * FROM \"request-metrics\" WHERE \"requests\" > 0 LIMIT 1").get(0);
        assertEquals(5.0, last.get("request_threads_maximum"));
        assertTrue((Double) last.get("server_time") >= (Double) last.get("application_time"), last.toString());
        assertTrue(banner.contains("Metrics            : aggregated"), banner);
    }

    @Test
    void theReportShowsTheAggregatedView() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        AggregatedReport.print(config, 300, new PrintStream(text, true, StandardCharsets.UTF_8));
        String report = text.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("total: " + REQUESTS + " requests in 300 s"), report);
        assertTrue(report.contains("<=5ms: 0 <=10ms: 0 <=20ms: 0 <=40ms: 0 <=80ms: "), report);
        assertTrue(report.lines().anyMatch(line -> line.startsWith("io.rawmetrics.demo.HelloWorld2.application (ok)")
                && line.contains(" " + REQUESTS + " ")), report);
    }
}

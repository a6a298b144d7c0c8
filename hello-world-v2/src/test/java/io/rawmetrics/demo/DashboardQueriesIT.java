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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After real traffic through the demo, every query of the Raw Requests dashboard, ours in
 * docs/grafana and the workshop's original unchanged, runs against a real influxd and returns data.
 */
class DashboardQueriesIT {

    private static final Path OURS = Path.of("..", "docs", "grafana", "dashboards", "raw-requests.json");
    private static final Path WORKSHOP = Path.of("src", "test", "resources", "workshop", "raw-requests.dashboard.json");
    private static final String TIME_FILTER = "time > now() - 5m";

    /** docs/grafana.md's example of what the panels run, before Grafana substitutes the variables. */
    private static final String GRAFANA_MD_QUERIES = """
            SELECT count("application_time") FROM "raw-requests" WHERE $timeFilter GROUP BY time(1s) fill(null)
            SELECT mean("application_time") FROM "raw-requests" WHERE $timeFilter GROUP BY time($__interval) fill(linear)
            SELECT percentile("application_time", 95) FROM "raw-requests" WHERE $timeFilter GROUP BY time($__interval) fill(linear)
            """;

    /** docs/getting-started.md's queries for the influx CLI. */
    private static final String GETTING_STARTED_MD_QUERIES = """
            SELECT count("application_time") FROM "raw-requests" WHERE time > now() - 5m GROUP BY time(1s)
            SELECT mean("application_time"), percentile("application_time", 95) FROM "raw-requests" WHERE time > now() - 5m GROUP BY time(1s)
            """;

    private static InfluxdProcess influxd;
    private static PointsInInflux influx;

    @BeforeAll
    static void traffic(@TempDir Path notUsedWhileInfluxdAnswers) throws Exception {
        influxd = InfluxdProcess.startTemporary();
        influx = new PointsInInflux(influxd, "wsgi");
        RawMetricsConfig config = HelloWorldV2.WORKSHOP_DEFAULTS.toBuilder().spoolDirectory(null).url(influxd.url().toString()).build();
        HelloWorldV2.Running running = HelloWorldV2.serve(DemoOptions.parse(List.of("wsgi-2", "--port", "0")),
                config, notUsedWhileInfluxdAnswers, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            DemoTraffic.send(URI.create("http://localhost:" + running.port() + "/"), 200, 10);
        } finally {
            running.close();
        }
    }

    @AfterAll
    static void stop() {
        influx.close();
        influxd.close();
    }

    private static void everyQueryReturnsData(Path dashboard) throws Exception {
        List<GrafanaTargets.PanelQuery> queries = GrafanaTargets.queries(dashboard, TIME_FILTER, "1s");
        assertEquals(5, queries.size(), "two throughput queries, mean and p95, and the mean gauge: " + queries);
        for (GrafanaTargets.PanelQuery query : queries) {
            List<Map<String, Object>> rows = influx.select(query.influxql());
            assertFalse(rows.isEmpty(), query.toString());
            assertTrue(rows.stream().anyMatch(row -> row.size() > 1), "some non-null value: " + query + " " + rows);
        }
    }

    @Test
    void ourDashboardsQueriesReturnTheDemosData() throws Exception {
        everyQueryReturnsData(OURS);
    }

    @Test
    void theWorkshopsOriginalDashboardWorksUnchanged() throws Exception {
        everyQueryReturnsData(WORKSHOP);
    }

    @Test
    void throughputCountsEveryRequestAndResponseTimeIsAboutFiftyMilliseconds() throws Exception {
        GrafanaTargets.PanelQuery throughput = GrafanaTargets.queries(OURS, TIME_FILTER, "1s").get(0);
        assertEquals("SELECT count(\"application_time\") FROM \"raw-requests\" WHERE " + TIME_FILTER
                + " GROUP BY time(1s) fill(null)", throughput.influxql());
        long requests = influx.select(throughput.influxql()).stream()
                .mapToLong(row -> row.get("count") == null ? 0 : ((Number) row.get("count")).longValue()).sum();
        assertEquals(200, requests);

        GrafanaTargets.PanelQuery p95 = GrafanaTargets.queries(OURS, TIME_FILTER, "1s").get(3);
        assertEquals("SELECT percentile(\"application_time\", 95) FROM \"raw-requests\" WHERE " + TIME_FILTER
                + " GROUP BY time(1s) fill(linear)", p95.influxql());
    }

    @Test
    void theQueriesInTheDocsAreTheDashboardsAndReturnData() throws Exception {
        List<String> generated = GrafanaTargets.queries(OURS, "$timeFilter", "$__interval").stream()
                .map(GrafanaTargets.PanelQuery::influxql).toList();
        for (String query : GRAFANA_MD_QUERIES.lines().toList()) {
            assertTrue(generated.contains(query), "grafana.md shows what the dashboard runs: " + query + " in " + generated);
            String substituted = query.replace("$timeFilter", TIME_FILTER).replace("$__interval", "1s");
            assertTrue(influx.select(substituted).stream().anyMatch(row -> row.size() > 1), substituted);
        }
        for (String query : GETTING_STARTED_MD_QUERIES.lines().toList()) {
            assertTrue(influx.select(query).stream().anyMatch(row -> row.size() > 1), query);
        }
    }

    @Test
    void provisionedDatasourceIsTheWorkshopsOne() throws Exception {
        String provisioned = Files.readString(Path.of("..", "docs", "grafana", "provisioning", "datasources", "wsgi.yml"));
        for (String line : List.of("name: WSGI", "type: influxdb", "database: wsgi", "user: wsgi", "password: wsgi",
                "isDefault: true")) {
            assertTrue(provisioned.contains(line), line);
        }
        String workshop = Files.readString(Path.of("src", "test", "resources", "workshop", "datasource.json"));
        assertTrue(workshop.contains("\"name\": \"WSGI\"") && workshop.contains("\"database\": \"wsgi\""));
    }
}

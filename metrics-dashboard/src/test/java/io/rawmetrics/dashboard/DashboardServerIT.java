package io.rawmetrics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.Moshi;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's HTTP side against a real influxd: data, the empty state, the error state, read-only. */
class DashboardServerIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static InfluxdProcess influxd;
    private static DashboardServer dashboard;

    @BeforeAll
    static void start() throws Exception {
        influxd = InfluxdProcess.startTemporary();
        try (InfluxDB influx = InfluxDBFactory.connect(influxd.url().toString())) {
            influx.query(new org.influxdb.dto.Query("CREATE DATABASE shop"));
            long now = System.currentTimeMillis() * 1_000_000L;
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                lines.append("raw-requests,function=Shop.checkout,hostname=h,outcome=ok,process=h:1 application_time=0.0")
                        .append(10 + i).append(' ').append(now - i * 100_000_000L).append('\n');
            }
            influx.write("shop", "autogen", InfluxDB.ConsistencyLevel.ONE, lines.toString().strip());
        }
        dashboard = DashboardServer.start(RawMetricsConfig.builder().url(influxd.url().toString()).database("shop").build(),
                "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        dashboard.close();
        influxd.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> get(DashboardServer server, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.url().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return (Map<String, Object>) new Moshi.Builder().build().adapter(Object.class).fromJson(response.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void rawRequestsPanelsHaveTheStoredPointsAndRunTheGrafanaQueries() throws Exception {
        Map<String, Object> data = get(dashboard, "/api/dashboards/raw-requests?range=5");
        assertNull(data.get("error"));
        assertEquals(false, data.get("empty"));
        List<Map<String, Object>> panels = (List<Map<String, Object>>) data.get("panels");
        assertEquals(4, panels.size());
        for (Map<String, Object> panel : panels) {
            assertTrue(((Number) panel.get("points")).longValue() > 0, panel.get("title") + " has points");
        }
        List<String> served = panels.stream().flatMap(p -> ((List<String>) p.get("queries")).stream()).toList();
        List<String> grafana = GrafanaDashboard.load("raw-requests").panels().stream()
                .flatMap(p -> p.targets().stream())
                .map(t -> t.influxql().replace("$timeFilter", "time > now() - 5m").replace("$__interval", "1s")).toList();
        assertEquals(grafana, served);
        double throughput = ((List<Map<String, Object>>) panels.get(0).get("series")).stream()
                .flatMap(s -> ((List<Object>) s.get("values")).stream())
                .mapToDouble(v -> v == null ? 0 : ((Number) v).doubleValue()).sum();
        assertEquals(50.0, throughput);
    }

    /**
     * The table under Raw Requests' charts: the ten slowest calls of the range, slowest first, each
     * with the trace and span ids its point carries (calls made in an OpenTelemetry span), and the
     * same selection as the charts.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theSlowestCallsAreListedSlowestFirstWithTheTraceIdsTheirPointsCarry() throws Exception {
        try (InfluxDB influx = InfluxDBFactory.connect(influxd.url().toString())) {
            influx.query(new org.influxdb.dto.Query("CREATE DATABASE traced"));
            long now = System.currentTimeMillis() * 1_000_000L;
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                String function = i % 3 == 0 ? "Shop.pay" : "Shop.checkout";
                lines.append("raw-requests,function=").append(function).append(",hostname=h,outcome=ok,process=h:1")
                        .append(" application_time=").append(0.001 * (i + 1));
                if (i % 2 == 0) {
                    lines.append(",span_id=\"").append(String.format("%016x", i + 1)).append("\",trace_id=\"")
                            .append(String.format("%032x", 1000 + i)).append('"');
                }
                lines.append(' ').append(now - i * 1_000_000L).append('\n');
            }
            influx.write("traced", "autogen", InfluxDB.ConsistencyLevel.ONE, lines.toString().strip());
        }
        try (DashboardServer server = DashboardServer.start(RawMetricsConfig.builder().url(influxd.url().toString())
                .database("traced").build(), "127.0.0.1", 0)) {
            Map<String, Object> table = get(server, "/api/slowest?range=5");
            assertNull(table.get("error"));
            List<Map<String, Object>> calls = (List<Map<String, Object>>) table.get("calls");
            assertEquals(10, calls.size());
            for (int rank = 0; rank < 10; rank++) {
                int i = 29 - rank; // the slowest is the last written, 30 ms
                Map<String, Object> call = calls.get(rank);
                assertEquals(0.001 * (i + 1), ((Number) call.get("seconds")).doubleValue(), 1e-12);
                assertEquals(i % 2 == 0 ? String.format("%032x", 1000 + i) : null, call.get("traceId"), "rank " + rank);
                assertEquals(i % 2 == 0 ? String.format("%016x", i + 1) : null, call.get("spanId"), "rank " + rank);
                assertEquals(i % 3 == 0 ? "Shop.pay" : "Shop.checkout", call.get("function"));
                assertEquals("ok", call.get("outcome"));
            }
            List<Map<String, Object>> pay = (List<Map<String, Object>>) get(server,
                    "/api/slowest?range=5&function=Shop.pay").get("calls");
            assertEquals(10, pay.size());
            assertEquals(0.028, ((Number) pay.get(0).get("seconds")).doubleValue(), 1e-12, "Shop.pay's slowest: i = 27");
            assertTrue(pay.stream().allMatch(call -> call.get("function").equals("Shop.pay")));
            assertEquals("range 7 must be one of [5, 15, 60] (minutes)", get(server, "/api/slowest?range=7").get("error"));
        }
    }

    @Test
    void theFunctionSelectorMatchesLiterallyAndAnInjectionFindsNothing() throws Exception {
        Map<String, Object> chosen = get(dashboard, "/api/dashboards/raw-requests?function=Shop.checkout");
        assertEquals(false, chosen.get("empty"));
        String attack = URLEncoder.encode("x' OR \"function\" =~ /.*/ OR 'a'='a", StandardCharsets.UTF_8);
        Map<String, Object> injected = get(dashboard, "/api/dashboards/raw-requests?function=" + attack);
        assertNull(injected.get("error"));
        assertEquals(true, injected.get("empty"));
        assertTrue(((String) injected.get("message")).startsWith("no points in the last 5 minutes in measurement raw-requests"
                + " for function x' OR"), (String) injected.get("message"));
        try (PointsInInflux points = new PointsInInflux(influxd, "shop")) {
            assertEquals(50, points.count("SELECT count(\"application_time\") FROM \"raw-requests\""), "nothing changed");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void rawRequestsFilterAndGroupByAUsersTag() throws Exception {
        try (InfluxDB influx = InfluxDBFactory.connect(influxd.url().toString())) {
            influx.query(new org.influxdb.dto.Query("CREATE DATABASE tagged"));
            long now = System.currentTimeMillis() * 1_000_000L;
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                lines.append("raw-requests,function=Shop.checkout,hostname=h,outcome=ok,process=h:1,tenant=")
                        .append(i < 30 ? "acme" : "globex\\ inc").append(" application_time=0.0").append(10 + i)
                        .append(' ').append(now - i * 100_000_000L).append('\n');
            }
            influx.write("tagged", "autogen", InfluxDB.ConsistencyLevel.ONE, lines.toString().strip());
        }
        try (DashboardServer server = DashboardServer.start(RawMetricsConfig.builder().url(influxd.url().toString())
                .database("tagged").build(), "127.0.0.1", 0)) {
            assertEquals(List.of("tenant"), get(server, "/api/tag-keys").get("keys"), "the user's tags, not the library's");
            assertEquals(List.of("acme", "globex inc"), get(server, "/api/tags/tenant").get("values"));

            Map<String, Object> grouped = get(server, "/api/dashboards/raw-requests?tag=tenant&groupBy=true");
            List<Map<String, Object>> panels = (List<Map<String, Object>>) grouped.get("panels");
            Map<String, Double> perTenant = new java.util.TreeMap<>();
            for (Map<String, Object> series : (List<Map<String, Object>>) panels.get(0).get("series")) {
                perTenant.put((String) series.get("name"), ((List<Object>) series.get("values")).stream()
                        .mapToDouble(v -> v == null ? 0 : ((Number) v).doubleValue()).sum());
            }
            assertEquals(Map.of("requests/sec tenant=acme", 30.0, "requests/sec tenant=globex inc", 20.0), perTenant);
            assertEquals(1, ((List<?>) panels.get(1).get("series")).size(), "a gauge shows one number: not grouped");

            String globex = URLEncoder.encode("globex inc", StandardCharsets.UTF_8);
            Map<String, Object> filtered = get(server, "/api/dashboards/raw-requests?tag=tenant&tagValue=" + globex);
            List<Map<String, Object>> filteredPanels = (List<Map<String, Object>>) filtered.get("panels");
            assertTrue(((List<String>) filteredPanels.get(0).get("queries")).get(0)
                    .contains("AND \"tenant\" = 'globex inc'"), filteredPanels.get(0).get("queries").toString());
            assertEquals(20.0, ((List<Map<String, Object>>) filteredPanels.get(0).get("series")).get(0).get("values")
                    instanceof List<?> values ? values.stream().mapToDouble(v -> v == null ? 0 : ((Number) v).doubleValue()).sum() : -1);

            assertEquals("tag 'outcome' is the library's own: the page selects by function and process, and the"
                    + " dashboard shows every outcome", get(server, "/api/dashboards/raw-requests?tag=outcome").get("error"));
        }
    }

    @Test
    void anEmptyDatabaseShowsWhereItLookedAndWhatWritesThere() throws Exception {
        Map<String, Object> data = get(dashboard, "/api/dashboards/request-metrics?range=15");
        assertEquals(true, data.get("empty"));
        assertEquals("no points in the last 15 minutes in measurement request-metrics, database shop at " + influxd.url()
                + ": aggregated points are written there with rawmetrics.mode=aggregated or both (the demo: --metrics aggregated)",
                data.get("message"));
    }

    @Test
    void aDatabaseNotCreatedYetIsTheEmptyStateNotAnError() throws Exception {
        try (DashboardServer early = DashboardServer.start(RawMetricsConfig.builder().url(influxd.url().toString())
                .database("not_yet").build(), "127.0.0.1", 0)) {
            Map<String, Object> data = get(early, "/api/dashboards/raw-requests");
            assertNull(data.get("error"));
            assertEquals(true, data.get("empty"));
            assertTrue(((String) data.get("message")).contains("database not_yet (which does not exist yet) at "),
                    (String) data.get("message"));
        }
    }

    @Test
    void anUnreachableInfluxDbIsAnErrorNamingIt() throws Exception {
        int closed = InfluxdProcess.freePort();
        try (DashboardServer nowhere = DashboardServer.start(RawMetricsConfig.builder()
                .url("http://127.0.0.1:" + closed).database("shop").build(), "127.0.0.1", 0)) {
            Map<String, Object> data = get(nowhere, "/api/dashboards/raw-requests");
            assertTrue(((String) data.get("error")).startsWith("cannot reach InfluxDB at http://127.0.0.1:" + closed + ": "),
                    (String) data.get("error"));
            assertEquals(data.get("error"), data.get("message"));
        }
    }

    @Test
    void itOnlyReadsAndListensOnLoopbackByDefault() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(dashboard.url().resolve("/api/dashboards/raw-requests"))
                .POST(HttpRequest.BodyPublishers.ofString("q=DROP DATABASE shop")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals(400, HTTP.send(HttpRequest.newBuilder(dashboard.url().resolve("/api/dashboards/raw-requests?range=7")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(DashboardSettings.DEFAULT_HOST, "127.0.0.1");
        assertEquals(URI.create("http://127.0.0.1:" + dashboard.port() + "/"), dashboard.url());
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(dashboard.url()).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(page.body().contains("<script src=\"/echarts.min.js\"></script>"));
        HttpResponse<String> charts = HTTP.send(HttpRequest.newBuilder(dashboard.url().resolve("/echarts.min.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, charts.statusCode());
        assertTrue(charts.body().length() > 500_000, "ECharts, served from the jar");
    }
}

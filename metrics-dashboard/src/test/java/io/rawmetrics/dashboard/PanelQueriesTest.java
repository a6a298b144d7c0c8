package io.rawmetrics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page's queries are the provisioned Grafana dashboards', with the page's choices added safely. */
class PanelQueriesTest {

    @Test
    void thePackagedDashboardsAreTheOnesProvisionedForGrafana() throws Exception {
        for (String uid : GrafanaDashboard.UIDS) {
            GrafanaDashboard packaged = GrafanaDashboard.load(uid);
            GrafanaDashboard provisioned = GrafanaDashboard.parse(
                    Files.readString(Path.of("..", "docs", "grafana", "dashboards", uid + ".json")));
            assertEquals(provisioned, packaged, uid);
        }
    }

    @Test
    void theRawRequestsPanelsRunWhatGrafanasEditorBuilds() {
        List<PanelQueries.PanelView> views = PanelQueries.of(GrafanaDashboard.load("raw-requests"), 5, null, null);
        assertEquals(List.of("Throughput", "Throughput (requests/sec)", "Response Time", "Response Time (mean)"),
                views.stream().map(v -> v.panel().title()).toList());
        assertEquals("SELECT count(\"application_time\") FROM \"raw-requests\" WHERE time > now() - 5m GROUP BY time(1s) fill(null)",
                views.get(0).queries().get(0).influxql());
        assertEquals("SELECT percentile(\"application_time\", 95) FROM \"raw-requests\" WHERE time > now() - 60m"
                        + " GROUP BY time(5s) fill(linear)",
                PanelQueries.of(GrafanaDashboard.load("raw-requests"), 60, null, null).get(2).queries().get(1).influxql());
    }

    @Test
    void daemonTimeIsLeftOutAndThePanelItLeavesEmptySaysWhy() {
        List<PanelQueries.PanelView> views = PanelQueries.of(GrafanaDashboard.load("request-metrics"), 15, null, null);
        assertEquals(12, views.size(), "12 panels, the Daemon Time heatmap without a query");
        PanelQueries.PanelView daemon = views.stream().filter(v -> v.panel().title().equals("Daemon Time")).findFirst().orElseThrow();
        assertEquals(List.of(), daemon.queries());
        assertEquals(PanelQueries.NO_JAVA_COUNTERPART, daemon.note());
        assertTrue(views.stream().filter(v -> v != daemon).allMatch(v -> v.note() == null));
        PanelQueries.PanelView responseTime = views.stream().filter(v -> v.panel().title().equals("Response Time")).findFirst().orElseThrow();
        assertEquals(List.of("server", "queue", "application"),
                responseTime.queries().stream().map(q -> q.target().alias()).toList());
        assertTrue(views.stream().flatMap(v -> v.queries().stream()).noneMatch(q -> q.influxql().contains("daemon")));
    }

    @Test
    void aSelectedFunctionIsAnEscapedStringThatCannotChangeTheQuery() {
        String attack = "x' OR 1=1; DROP DATABASE \"wsgi\" --\\";
        String query = PanelQueries.of(GrafanaDashboard.load("raw-requests"), 5, attack, "web1:42").get(0).queries().get(0).influxql();
        assertEquals("SELECT count(\"application_time\") FROM \"raw-requests\" WHERE time > now() - 5m"
                + " AND \"function\" = 'x\\' OR 1=1; DROP DATABASE \"wsgi\" --\\\\' AND \"process\" = 'web1:42'"
                + " GROUP BY time(1s) fill(null)", query);
    }

    @Test
    void theFunctionFilterAppliesOnlyToRawPoints() {
        PanelQueries.PanelView first = PanelQueries.of(GrafanaDashboard.load("request-metrics"), 5, "App.f", null).get(0);
        assertFalse(first.queries().get(0).influxql().contains("function"));
    }

    @Test
    void badChoicesAreRefusedNamingThem() {
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> PanelQueries.of(GrafanaDashboard.load("raw-requests"), 7, null, null));
        assertEquals("range 7 must be one of [5, 15, 60] (minutes)", range.getMessage());
        IllegalArgumentException newline = assertThrows(IllegalArgumentException.class,
                () -> PanelQueries.stringLiteral("a\nb"));
        assertTrue(newline.getMessage().startsWith("'a?b' holds a control character"), newline.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GrafanaDashboard.load("../secrets"));
    }

    @Test
    void aTagFiltersRawPointsAndGroupsTheChartsNotTheGauges() {
        List<PanelQueries.PanelView> views = PanelQueries.of(GrafanaDashboard.load("raw-requests"), 5, null, null,
                new PanelQueries.TagChoice("tenant", "it's", true));
        assertEquals("SELECT count(\"application_time\") FROM \"raw-requests\" WHERE time > now() - 5m AND \"tenant\" ="
                + " 'it\\'s' GROUP BY time(1s), \"tenant\" fill(null)", views.get(0).queries().get(0).influxql());
        assertEquals("gauge", views.get(1).panel().type());
        assertFalse(views.get(1).queries().get(0).influxql().contains(", \"tenant\""), "a gauge is one number");
        assertTrue(views.get(1).queries().get(0).influxql().contains("AND \"tenant\" = 'it\\'s'"));
        assertEquals("a tag value or a group by needs a tag key", assertThrows(IllegalArgumentException.class,
                () -> new PanelQueries.TagChoice(null, "acme", false)).getMessage());
    }

    /**
     * Grafana's Raw Requests has the same choice as the page: an ad hoc filter variable on the
     * workshop's datasource, which Grafana's InfluxDB editor adds to every panel's query as
     * {@code AND "key" = 'value'}, the condition the page adds.
     */
    @Test
    @SuppressWarnings("unchecked")
    void grafanasRawRequestsHasATagVariable() throws Exception {
        Map<String, Object> dashboard = (Map<String, Object>) new com.squareup.moshi.Moshi.Builder().build()
                .adapter(Object.class).fromJson(Files.readString(Path.of("..", "docs", "grafana", "dashboards",
                        "raw-requests.json")));
        List<Map<String, Object>> variables = (List<Map<String, Object>>) ((Map<String, Object>) dashboard
                .get("templating")).get("list");
        assertEquals(1, variables.size());
        assertEquals("adhoc", variables.get(0).get("type"));
        assertEquals("WSGI", variables.get(0).get("datasource"), "the workshop's datasource, the panels' default");
        assertEquals("tags", variables.get(0).get("name"));
    }
}

package io.rawmetrics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}

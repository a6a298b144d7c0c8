package io.rawmetrics.demo;

import io.rawmetrics.dashboard.GrafanaDashboard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The InfluxQL that Grafana's InfluxDB query editor builds from a dashboard's panel targets, with
 * {@code $timeFilter} and {@code $__interval} substituted, so the tests can run each panel's query
 * against a real server. Built by the dashboard module's {@link GrafanaDashboard}: the same code
 * that gives the built-in dashboard page its queries.
 */
final class GrafanaTargets {

    private GrafanaTargets() {
    }

    /** A panel's query: which panel and target it comes from, and the InfluxQL to run. */
    record PanelQuery(String panel, String refId, String influxql) {
    }

    /** Every target of every panel; the dashboard may be bare or wrapped in {"dashboard": ...}. */
    static List<PanelQuery> queries(Path dashboardFile, String timeFilter, String interval) throws IOException {
        List<PanelQuery> queries = new ArrayList<>();
        for (GrafanaDashboard.Panel panel : GrafanaDashboard.parse(Files.readString(dashboardFile)).panels()) {
            for (GrafanaDashboard.Target target : panel.targets()) {
                queries.add(new PanelQuery(panel.title(), target.refId(),
                        target.influxql().replace("$timeFilter", timeFilter).replace("$__interval", interval)));
            }
        }
        return queries;
    }
}

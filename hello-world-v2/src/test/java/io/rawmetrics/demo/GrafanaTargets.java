package io.rawmetrics.demo;

import com.squareup.moshi.Moshi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The InfluxQL that Grafana's InfluxDB query editor builds from a dashboard's panel targets
 * ({@code select}, {@code groupBy}, {@code measurement}), with {@code $timeFilter} and
 * {@code $__interval} substituted, so the tests can run each panel's query against a real server.
 */
final class GrafanaTargets {

    private GrafanaTargets() {
    }

    /** A panel's query: which panel and target it comes from, and the InfluxQL to run. */
    record PanelQuery(String panel, String refId, String influxql) {
    }

    /** Every target of every panel; the dashboard may be bare or wrapped in {"dashboard": ...}. */
    @SuppressWarnings("unchecked")
    static List<PanelQuery> queries(Path dashboardFile, String timeFilter, String interval) throws IOException {
        Map<String, Object> json = (Map<String, Object>) new Moshi.Builder().build().adapter(Object.class)
                .fromJson(Files.readString(dashboardFile));
        Map<String, Object> dashboard = json.containsKey("dashboard") ? (Map<String, Object>) json.get("dashboard") : json;
        List<PanelQuery> queries = new ArrayList<>();
        for (Map<String, Object> panel : (List<Map<String, Object>>) dashboard.get("panels")) {
            for (Map<String, Object> target : (List<Map<String, Object>>) panel.getOrDefault("targets", List.of())) {
                String query = Boolean.TRUE.equals(target.get("rawQuery")) ? (String) target.get("query") : build(target);
                queries.add(new PanelQuery((String) panel.get("title"), (String) target.get("refId"),
                        query.replace("$timeFilter", timeFilter).replace("$__interval", interval)));
            }
        }
        return queries;
    }

    @SuppressWarnings("unchecked")
    private static String build(Map<String, Object> target) {
        List<String> columns = new ArrayList<>();
        for (List<Map<String, Object>> parts : (List<List<Map<String, Object>>>) target.get("select")) {
            String column = "";
            for (Map<String, Object> part : parts) {
                List<Object> params = (List<Object>) part.get("params");
                switch ((String) part.get("type")) {
                    case "field" -> column = "\"" + params.get(0) + "\"";
                    case "percentile" -> column = "percentile(" + column + ", " + number(params.get(0)) + ")";
                    default -> column = part.get("type") + "(" + column + ")"; // count, mean, max, ...
                }
            }
            columns.add(column);
        }
        StringBuilder q = new StringBuilder("SELECT ").append(String.join(", ", columns))
                .append(" FROM \"").append(target.get("measurement")).append("\" WHERE $timeFilter");
        String fill = null;
        List<String> groups = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) target.get("groupBy")) {
            Object param = ((List<Object>) group.get("params")).get(0);
            switch ((String) group.get("type")) {
                case "time" -> groups.add("time(" + param + ")");
                case "fill" -> fill = "fill(" + param + ")";
                default -> groups.add("\"" + param + "\"");
            }
        }
        if (!groups.isEmpty()) {
            q.append(" GROUP BY ").append(String.join(", ", groups));
        }
        if (fill != null) {
            q.append(' ').append(fill);
        }
        return q.toString();
    }

    private static String number(Object value) {
        return value instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(value);
    }
}

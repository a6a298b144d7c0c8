package io.rawmetrics.dashboard;

import com.squareup.moshi.Moshi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Grafana dashboard's panels and the InfluxQL each of its targets runs, as Grafana's InfluxDB
 * query editor builds it from the target's {@code select}, {@code groupBy} and {@code measurement}
 * (or its raw query), with {@code $timeFilter} and {@code $__interval} left for the caller. The
 * dashboards provisioned in docs/grafana are the one source of these queries: the dashboard page
 * runs them, and the tests check them against Grafana's own rules and a real server.
 *
 * @param uid    the dashboard's uid: {@code raw-requests}, {@code request-metrics}
 * @param title  its title
 * @param panels its panels, in the dashboard's order
 */
public record GrafanaDashboard(String uid, String title, List<Panel> panels) {

    /** The dashboards served, by uid, as packaged from docs/grafana/dashboards. */
    public static final List<String> UIDS = List.of("raw-requests", "request-metrics");

    /**
     * A panel: where it sits on Grafana's 24-column grid, its type ({@code graph}, {@code gauge},
     * {@code heatmap}), the unit of its values, how a gauge reduces a series ({@code mean}), and its targets.
     */
    public record Panel(String title, String type, String unit, String reduce, int x, int y, int w, int h,
                        List<Target> targets) {
    }

    /**
     * A target: its refId, its legend ({@code $tag_time_bucket} names each series by that tag),
     * the field it reads, and its InfluxQL with {@code $timeFilter} and {@code $__interval} in it.
     */
    public record Target(String refId, String alias, String measurement, String field, String influxql) {
    }

    /** The dashboard packaged under {@code uid}. */
    public static GrafanaDashboard load(String uid) {
        if (!UIDS.contains(uid)) {
            throw new IllegalArgumentException("no dashboard '" + uid + "'; there are " + UIDS);
        }
        try (InputStream in = GrafanaDashboard.class.getResourceAsStream("dashboards/" + uid + ".json")) {
            if (in == null) {
                throw new IllegalStateException("dashboards/" + uid + ".json is not packaged");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A dashboard's JSON, bare or wrapped in {@code {"dashboard": ...}} as Grafana exports it. */
    @SuppressWarnings("unchecked")
    public static GrafanaDashboard parse(String json) throws IOException {
        Map<String, Object> root = (Map<String, Object>) new Moshi.Builder().build().adapter(Object.class).fromJson(json);
        Map<String, Object> dashboard = root.containsKey("dashboard") ? (Map<String, Object>) root.get("dashboard") : root;
        List<Panel> panels = new ArrayList<>();
        for (Map<String, Object> panel : (List<Map<String, Object>>) dashboard.get("panels")) {
            List<Target> targets = new ArrayList<>();
            for (Map<String, Object> target : (List<Map<String, Object>>) panel.getOrDefault("targets", List.of())) {
                boolean raw = Boolean.TRUE.equals(target.get("rawQuery"));
                targets.add(new Target((String) target.get("refId"), (String) target.get("alias"),
                        (String) target.get("measurement"), raw ? null : field(target),
                        raw ? (String) target.get("query") : build(target)));
            }
            Map<String, Object> grid = (Map<String, Object>) panel.get("gridPos");
            panels.add(new Panel((String) panel.get("title"), (String) panel.get("type"), unit(panel), reduce(panel),
                    integer(grid.get("x")), integer(grid.get("y")), integer(grid.get("w")), integer(grid.get("h")),
                    List.copyOf(targets)));
        }
        return new GrafanaDashboard((String) dashboard.get("uid"), (String) dashboard.get("title"), List.copyOf(panels));
    }

    /** The panel of this title. */
    public Panel panel(String title) {
        return panels.stream().filter(p -> p.title().equals(title)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no panel '" + title + "' in " + uid));
    }

    @SuppressWarnings("unchecked")
    private static String field(Map<String, Object> target) {
        for (List<Map<String, Object>> parts : (List<List<Map<String, Object>>>) target.get("select")) {
            for (Map<String, Object> part : parts) {
                if ("field".equals(part.get("type"))) {
                    return String.valueOf(((List<Object>) part.get("params")).get(0));
                }
            }
        }
        return null;
    }

    /** What Grafana's InfluxQL query editor builds from a target's parts. */
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
                    default -> column = part.get("type") + "(" + column + ")"; // count, mean, sum, max, ...
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

    @SuppressWarnings("unchecked")
    private static String unit(Map<String, Object> panel) {
        Object yaxes = panel.get("yaxes");
        if (yaxes instanceof List<?> axes && !axes.isEmpty()) {
            return (String) ((Map<String, Object>) axes.get(0)).get("format");
        }
        Map<String, Object> fieldConfig = (Map<String, Object>) panel.getOrDefault("fieldConfig", Map.of());
        Map<String, Object> defaults = (Map<String, Object>) fieldConfig.getOrDefault("defaults", Map.of());
        return (String) defaults.get("unit");
    }

    @SuppressWarnings("unchecked")
    private static String reduce(Map<String, Object> panel) {
        Map<String, Object> options = (Map<String, Object>) panel.get("options");
        if (options == null || !(options.get("reduceOptions") instanceof Map<?, ?> reduce)) {
            return null;
        }
        List<Object> calcs = (List<Object>) reduce.get("calcs");
        return calcs == null || calcs.isEmpty() ? null : String.valueOf(calcs.get(0));
    }

    private static int integer(Object value) {
        return value == null ? 0 : ((Number) value).intValue();
    }

    private static String number(Object value) {
        return value instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(value);
    }
}

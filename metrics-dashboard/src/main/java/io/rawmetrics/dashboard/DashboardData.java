package io.rawmetrics.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the page draws for one dashboard, one range and selection: every panel's series, read
 * now, as plain maps and lists for JSON; and, when nothing is there, why: no points yet (the empty
 * state) or no answer from InfluxDB (the error state). Never a blank page.
 */
final class DashboardData {

    private DashboardData() {
    }

    static Map<String, Object> read(InfluxReader influx, DashboardSettings settings, GrafanaDashboard dashboard,
                                    int minutes, String function, String process) {
        return read(influx, settings, dashboard, minutes, function, process, PanelQueries.TagChoice.NONE);
    }

    static Map<String, Object> read(InfluxReader influx, DashboardSettings settings, GrafanaDashboard dashboard,
                                    int minutes, String function, String process, PanelQueries.TagChoice tag) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("uid", dashboard.uid());
        data.put("title", dashboard.title());
        data.put("database", settings.database());
        data.put("url", settings.url());
        data.put("range", minutes);
        data.put("function", function);
        data.put("process", process);
        data.put("tag", tag.key());
        data.put("tagValue", tag.value());
        data.put("groupBy", tag.groupBy());
        data.put("updated", System.currentTimeMillis());
        data.put("step", PanelQueries.intervalMillis(minutes));
        List<Map<String, Object>> panels = new ArrayList<>();
        long points = 0;
        boolean noDatabase = false;
        try {
            for (PanelQueries.PanelView view : PanelQueries.of(dashboard, minutes, function, process, tag)) {
                Map<String, Object> panel = new LinkedHashMap<>();
                GrafanaDashboard.Panel p = view.panel();
                panel.put("title", p.title());
                panel.put("type", p.type());
                panel.put("unit", unit(p, view));
                panel.put("reduce", p.reduce());
                panel.put("grid", List.of(p.x(), p.y(), p.w(), p.h()));
                panel.put("note", view.note());
                List<Map<String, Object>> series = new ArrayList<>();
                long panelPoints = 0;
                List<String> queries = new ArrayList<>();
                for (PanelQueries.TargetQuery query : view.queries()) {
                    queries.add(query.influxql());
                    for (InfluxReader.Series s : influx.select(query.influxql())) {
                        Map<String, Object> one = new LinkedHashMap<>();
                        one.put("name", name(query.target(), s.tags(), tag.groupBy() ? tag.key() : null));
                        one.put("times", s.times());
                        one.put("values", s.values());
                        long present = s.values().stream().filter(v -> v != null).count();
                        one.put("points", present);
                        panelPoints += present;
                        series.add(one);
                    }
                }
                panel.put("queries", queries);
                panel.put("series", series);
                panel.put("points", panelPoints);
                points += panelPoints;
                panels.add(panel);
            }
            data.put("error", null);
        } catch (InfluxReader.NoDatabaseException e) {
            data.put("error", null);
            panels.clear();
            noDatabase = true;
        } catch (InfluxReader.ReadException e) {
            data.put("error", e.getMessage());
            panels.clear();
        }
        data.put("panels", panels);
        data.put("points", points);
        data.put("empty", data.get("error") == null && points == 0);
        data.put("message", data.get("error") != null ? data.get("error")
                : points == 0 ? emptyMessage(settings, dashboard, minutes, function, process, tag, noDatabase) : null);
        return data;
    }

    /**
     * The panel's unit; where the dashboard gives none (the workshop's gauges), the one its field
     * implies: seconds for a {@code *_time} field, requests per second for a throughput.
     */
    private static String unit(GrafanaDashboard.Panel panel, PanelQueries.PanelView view) {
        if (panel.unit() != null) {
            return panel.unit();
        }
        // The title first: Raw Requests' throughput gauge counts application_time, a rate all the same.
        if (panel.title().startsWith("Throughput")) {
            return "reqps";
        }
        String field = view.queries().isEmpty() ? null : view.queries().get(0).target().field();
        if (field == null) {
            return null;
        }
        return field.endsWith("_time") ? "s" : field.endsWith("throughput") ? "reqps" : null;
    }

    /**
     * The legend of a series: the target's alias, with {@code $tag_key} replaced by the series' tag,
     * and, in a chart grouped by tag {@code groupedBy}, that tag's value ({@code (none)} for points
     * without it).
     */
    private static String name(GrafanaDashboard.Target target, Map<String, String> tags, String groupedBy) {
        String alias = target.alias();
        if (alias == null || alias.isBlank()) {
            alias = target.field() != null ? target.field() : target.refId();
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            alias = alias.replace("$tag_" + tag.getKey(), tag.getValue());
        }
        if (groupedBy != null && tags.containsKey(groupedBy)) {
            String value = tags.get(groupedBy);
            alias = alias + " " + groupedBy + "=" + (value.isEmpty() ? "(none)" : value);
        }
        return alias;
    }

    private static String emptyMessage(DashboardSettings settings, GrafanaDashboard dashboard, int minutes,
                                       String function, String process, PanelQueries.TagChoice tag,
                                       boolean noDatabase) {
        String measurement = dashboard.uid().equals("raw-requests") ? "raw-requests" : "request-metrics";
        StringBuilder m = new StringBuilder("no points in the last ").append(minutes).append(" minutes in measurement ")
                .append(measurement);
        if (function != null) {
            m.append(" for function ").append(function);
        }
        if (process != null) {
            m.append(" from process ").append(process);
        }
        if (tag.value() != null) {
            m.append(" with ").append(tag.key()).append('=').append(tag.value());
        }
        m.append(", database ").append(settings.database()).append(noDatabase ? " (which does not exist yet)" : "")
                .append(" at ").append(settings.url());
        m.append(dashboard.uid().equals("raw-requests")
                ? ": timed calls are written there with rawmetrics.mode=raw (the default) or both"
                : ": aggregated points are written there with rawmetrics.mode=aggregated or both (the demo: --metrics aggregated)");
        return m.toString();
    }
}

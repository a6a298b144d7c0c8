package io.rawmetrics.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The InfluxQL a page view runs: each target of a {@link GrafanaDashboard} with Grafana's
 * variables filled in for the time range chosen, and the page's selectors added as conditions
 * whose values are InfluxQL string literals, escaped, so a selector can never change a query's
 * meaning. Targets on fields rawmetrics never writes ({@code daemon_time}: mod_wsgi's daemon
 * processes have no Java counterpart) are left out; a panel left without a target is kept, with
 * no query and a {@link PanelView#note note} that says why, so that its place on the page is not
 * an unexplained hole.
 */
final class PanelQueries {

    /** The ranges the page offers, in minutes. */
    static final List<Integer> RANGES = List.of(5, 15, 60);
    /** Fields of the workshop's dashboards that no Java process writes. */
    static final Set<String> NEVER_WRITTEN = Set.of("daemon_time", "daemon_time_bucket");

    private PanelQueries() {
    }

    /**
     * A panel as the page draws it: the dashboard's panel and the queries of its targets still
     * shown; {@code note}, when it has none left, says why (else null).
     */
    record PanelView(GrafanaDashboard.Panel panel, List<TargetQuery> queries, String note) {
    }

    /** What a panel of only {@link #NEVER_WRITTEN} fields says instead of a chart. */
    static final String NO_JAVA_COUNTERPART = "mod_wsgi's daemon processes have no Java counterpart:"
            + " rawmetrics writes no daemon_time (docs/schema.md)";

    /** One target's query, ready to run. */
    record TargetQuery(GrafanaDashboard.Target target, String influxql) {
    }

    /** The tags rawmetrics sets itself on raw points: the others (constant and {@code @Tag} ones) are the user's. */
    static final Set<String> LIBRARY_TAGS = Set.of("hostname", "process", "function", "outcome", "exception");

    /**
     * A choice of one of the user's tags on the Raw Requests page: {@code key}, with its
     * {@code value} as a condition (null: all values), and whether the charts draw a series per value.
     */
    record TagChoice(String key, String value, boolean groupBy) {
        static final TagChoice NONE = new TagChoice(null, null, false);

        TagChoice {
            if (key == null && (value != null || groupBy)) {
                throw new IllegalArgumentException("a tag value or a group by needs a tag key");
            }
            if (key != null && LIBRARY_TAGS.contains(key)) {
                throw new IllegalArgumentException("tag '" + key + "' is the library's own: the page selects by"
                        + " function and process, and the dashboard shows every outcome");
            }
        }
    }

    /** {@link #of(GrafanaDashboard, int, String, String, TagChoice)} without a tag. */
    static List<PanelView> of(GrafanaDashboard dashboard, int minutes, String function, String process) {
        return of(dashboard, minutes, function, process, TagChoice.NONE);
    }

    /**
     * The panels of {@code dashboard} for the last {@code minutes}, with {@code function} and
     * {@code process} (either may be null: all) as conditions on the measurements that have those
     * tags, and {@code tag} on Raw Requests': its value a condition, and its charts (not its
     * gauges, which show one number) grouped by it.
     *
     * @throws IllegalArgumentException if the range is not one offered, or a value cannot be an InfluxQL string
     */
    static List<PanelView> of(GrafanaDashboard dashboard, int minutes, String function, String process, TagChoice tag) {
        if (!RANGES.contains(minutes)) {
            throw new IllegalArgumentException("range " + minutes + " must be one of " + RANGES + " (minutes)");
        }
        List<PanelView> views = new ArrayList<>();
        for (GrafanaDashboard.Panel panel : dashboard.panels()) {
            List<TargetQuery> queries = new ArrayList<>();
            for (GrafanaDashboard.Target target : panel.targets()) {
                if (NEVER_WRITTEN.contains(target.field())) {
                    continue;
                }
                StringBuilder filter = new StringBuilder("time > now() - ").append(minutes).append('m');
                if (function != null && "raw-requests".equals(target.measurement())) {
                    filter.append(" AND \"function\" = ").append(stringLiteral(function));
                }
                if (process != null) {
                    filter.append(" AND \"process\" = ").append(stringLiteral(process));
                }
                boolean raw = "raw-requests".equals(target.measurement());
                if (raw && tag.value() != null) {
                    filter.append(" AND ").append(InfluxReader.identifier(tag.key())).append(" = ")
                            .append(stringLiteral(tag.value()));
                }
                String influxql = target.influxql().replace("$timeFilter", filter).replace("$__interval", interval(minutes));
                if (raw && tag.groupBy() && panel.type().equals("graph")) {
                    influxql = groupedBy(influxql, tag.key());
                }
                queries.add(new TargetQuery(target, influxql));
            }
            if (!queries.isEmpty()) {
                views.add(new PanelView(panel, List.copyOf(queries), null));
            } else if (!panel.targets().isEmpty()) {
                views.add(new PanelView(panel, List.of(), NO_JAVA_COUNTERPART));
            }
        }
        return views;
    }

    /** {@code influxql}, whose {@code GROUP BY} starts with {@code time(...)}, grouped by tag {@code key} too. */
    static String groupedBy(String influxql, String key) {
        int groupBy = influxql.indexOf(" GROUP BY time(");
        if (groupBy < 0) {
            throw new IllegalStateException("a Raw Requests chart's query groups by time: " + influxql);
        }
        int end = influxql.indexOf(')', groupBy) + 1;
        return influxql.substring(0, end) + ", " + InfluxReader.identifier(key) + influxql.substring(end);
    }

    /** Grafana's {@code $__interval} for a range on a page about a thousand pixels wide. */
    static String interval(int minutes) {
        return intervalMillis(minutes) / 1000 + "s";
    }

    /** {@link #interval} in milliseconds: the width of a heatmap's column. */
    static long intervalMillis(int minutes) {
        return minutes <= 5 ? 1000 : minutes <= 15 ? 2000 : 5000;
    }

    /**
     * {@code value} as an InfluxQL string literal: in single quotes, with backslashes and single
     * quotes escaped. Control characters (a line break ends a statement) are refused.
     */
    static String stringLiteral(String value) {
        StringBuilder literal = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("'" + value.replaceAll("\\p{Cntrl}", "?")
                        + "' holds a control character: no tag value rawmetrics writes does");
            }
            if (c == '\\' || c == '\'') {
                literal.append('\\');
            }
            literal.append(c);
        }
        return literal.append('\'').toString();
    }
}

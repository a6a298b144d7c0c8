package io.rawmetrics.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Raw Requests page's table of the slowest calls in the range, each with what leads from it to
 * its trace: the {@code trace_id} and {@code span_id} fields a call made in an OpenTelemetry span
 * carries (docs/tracing.md). The same selection as the charts: function, process, a user's tag.
 */
final class SlowestCalls {

    /** Rows in the table: the slowest, the ones worth a trace. */
    static final int ROWS = 10;

    private SlowestCalls() {
    }

    /** The InfluxQL of the table: InfluxDB's {@code top()}, with the point's tags and ids beside it. */
    static String query(int minutes, String function, String process, PanelQueries.TagChoice tag) {
        if (!PanelQueries.RANGES.contains(minutes)) {
            throw new IllegalArgumentException("range " + minutes + " must be one of " + PanelQueries.RANGES + " (minutes)");
        }
        StringBuilder q = new StringBuilder("SELECT top(\"application_time\", ").append(ROWS)
                .append(") AS \"application_time\", \"function\", \"outcome\", \"trace_id\", \"span_id\"")
                .append(" FROM \"raw-requests\" WHERE time > now() - ").append(minutes).append('m');
        if (function != null) {
            q.append(" AND \"function\" = ").append(PanelQueries.stringLiteral(function));
        }
        if (process != null) {
            q.append(" AND \"process\" = ").append(PanelQueries.stringLiteral(process));
        }
        if (tag.value() != null) {
            q.append(" AND ").append(InfluxReader.identifier(tag.key())).append(" = ").append(PanelQueries.stringLiteral(tag.value()));
        }
        return q.toString();
    }

    /** The table as JSON: its query, and its rows, slowest first; or the error InfluxDB gave. */
    static Map<String, Object> read(InfluxReader influx, int minutes, String function, String process,
            PanelQueries.TagChoice tag) {
        String query = query(minutes, function, process, tag);
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("query", query);
        List<Map<String, Object>> calls = new ArrayList<>();
        try {
            for (Map<String, Object> row : influx.rows(query)) {
                Map<String, Object> call = new LinkedHashMap<>();
                call.put("time", row.get("time"));
                call.put("function", row.get("function"));
                call.put("outcome", row.get("outcome"));
                call.put("seconds", row.get("application_time"));
                call.put("traceId", row.get("trace_id"));
                call.put("spanId", row.get("span_id"));
                calls.add(call);
            }
            table.put("error", null);
        } catch (InfluxReader.NoDatabaseException e) {
            table.put("error", null);
        } catch (InfluxReader.ReadException e) {
            table.put("error", e.getMessage());
        }
        calls.sort(Comparator.comparingDouble((Map<String, Object> call) -> ((Number) call.get("seconds")).doubleValue())
                .reversed());
        table.put("calls", calls);
        return table;
    }
}

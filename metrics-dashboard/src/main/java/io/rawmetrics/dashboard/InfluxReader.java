package io.rawmetrics.dashboard;

import io.rawmetrics.RawMetricsConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Reads a rawmetrics database through InfluxQL with the library's own settings
 * ({@code rawmetrics.influxdb.url}, {@code database}, {@code username}, {@code password}). Runs
 * only {@code SELECT} and {@code SHOW} statements: the dashboard never changes the database.
 */
final class InfluxReader implements AutoCloseable {

    private final RawMetricsConfig config;
    private final InfluxDB client;

    InfluxReader(RawMetricsConfig config) {
        this.config = config;
        this.client = config.username() == null
                ? InfluxDBFactory.connect(config.url().toString())
                : InfluxDBFactory.connect(config.url().toString(), config.username(), config.password());
    }

    /** A series of a query's result: its tags (for a GROUP BY tag), its times in epoch milliseconds, one column of values. */
    record Series(Map<String, String> tags, List<Long> times, List<Double> values) {
    }

    /** Why a query gave nothing: the server could not be reached, or it answered with an error. */
    static class ReadException extends RuntimeException {
        ReadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The database does not exist (yet): nothing was ever written to it. Not an error for the page: its empty state. */
    static final class NoDatabaseException extends ReadException {
        NoDatabaseException(String message) {
            super(message, null);
        }
    }

    /** The series of a one-column {@code SELECT}. */
    List<Series> select(String influxql) {
        List<Series> series = new ArrayList<>();
        for (QueryResult.Series s : run(influxql)) {
            List<Long> times = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (List<Object> row : s.getValues()) {
                times.add(((Number) row.get(0)).longValue());
                values.add(row.get(1) == null ? null : ((Number) row.get(1)).doubleValue());
            }
            series.add(new Series(s.getTags() == null ? Map.of() : new LinkedHashMap<>(s.getTags()), times, values));
        }
        return series;
    }

    /** The rows of a {@code SELECT} of several columns, each column by name ({@code time} in epoch milliseconds). */
    List<Map<String, Object>> rows(String influxql) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (QueryResult.Series s : run(influxql)) {
            for (List<Object> values : s.getValues()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < s.getColumns().size(); i++) {
                    Object value = values.get(i);
                    row.put(s.getColumns().get(i), i == 0 && value instanceof Number time ? time.longValue() : value);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The values of a tag key in a measurement, sorted. */
    List<String> tagValues(String measurement, String key) {
        List<String> values = new ArrayList<>();
        for (QueryResult.Series s : run("SHOW TAG VALUES FROM " + identifier(measurement) + " WITH KEY = " + identifier(key))) {
            for (List<Object> row : s.getValues()) {
                values.add(String.valueOf(row.get(1)));
            }
        }
        values.sort(null);
        return values;
    }

    /** The tag keys of a measurement, sorted. */
    List<String> tagKeys(String measurement) {
        List<String> keys = new ArrayList<>();
        for (QueryResult.Series s : run("SHOW TAG KEYS FROM " + identifier(measurement))) {
            for (List<Object> row : s.getValues()) {
                keys.add(String.valueOf(row.get(0)));
            }
        }
        keys.sort(null);
        return keys;
    }

    private List<QueryResult.Series> run(String influxql) {
        String verb = influxql.strip().toUpperCase(Locale.ROOT);
        if (!verb.startsWith("SELECT ") && !verb.startsWith("SHOW ")) {
            throw new IllegalArgumentException("the dashboard only reads: " + influxql);
        }
        QueryResult result;
        try {
            result = client.query(new Query(influxql, config.database()), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ReadException("cannot reach InfluxDB at " + config.url() + ": " + cause.getMessage(), e);
        }
        String error = result.getError();
        if (error == null && result.getResults() != null && !result.getResults().isEmpty()) {
            error = result.getResults().get(0).getError();
        }
        if (error != null && error.startsWith("database not found")) {
            throw new NoDatabaseException(error);
        }
        if (error != null) {
            throw new ReadException("InfluxDB at " + config.url() + " answered: " + error, null);
        }
        QueryResult.Result first = result.getResults() == null || result.getResults().isEmpty() ? null : result.getResults().get(0);
        return first == null || first.getSeries() == null ? List.of() : first.getSeries();
    }

    /** An InfluxQL identifier in double quotes. */
    static String identifier(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public void close() {
        client.close();
    }
}

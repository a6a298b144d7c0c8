package io.rawmetrics.influxd;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Reads points back from a real InfluxDB, as rows of column name to value, for tests that prove
 * what the server stores.
 */
public final class PointsInInflux implements AutoCloseable {

    /** A row of a one-field query: {@code [<time>,<number>]}. */
    private static final Pattern TIME_AND_NUMBER = Pattern.compile("\\[(-?\\d+),(-?[0-9.eE+-]+)\\]");

    private final InfluxDB client;
    private final String database;
    private final URI url;

    public PointsInInflux(InfluxdProcess influxd, String database) {
        this.client = InfluxDBFactory.connect(influxd.url().toString());
        this.database = database;
        this.url = influxd.url();
    }

    /**
     * The rows of a query that selects one numeric field ({@code SELECT application_time FROM ...}):
     * each row's time in epoch nanoseconds, exactly, and its value. {@link #select} cannot give the
     * time exactly: its JSON numbers become doubles, which hold an epoch in nanoseconds only to the
     * nearest 256 ns.
     */
    public List<TimeAndValue> timesAndValues(String influxql) {
        URI query = url.resolve("/query?epoch=ns&db=" + URLEncoder.encode(database, StandardCharsets.UTF_8)
                + "&q=" + URLEncoder.encode(influxql, StandardCharsets.UTF_8));
        String body;
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(query).build(),
                    HttpResponse.BodyHandlers.ofString());
            body = answer.body();
            if (answer.statusCode() != 200 || body.contains("\"error\"")) {
                throw new AssertionError(influxql + ": HTTP " + answer.statusCode() + ": " + body);
            }
        } catch (IOException e) {
            throw new AssertionError(influxql + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(influxql + ": interrupted", e);
        }
        List<TimeAndValue> rows = new ArrayList<>();
        Matcher row = TIME_AND_NUMBER.matcher(body);
        while (row.find()) {
            rows.add(new TimeAndValue(Long.parseLong(row.group(1)), Double.parseDouble(row.group(2))));
        }
        return rows;
    }

    /** A row of {@link #timesAndValues}: the time in epoch nanoseconds and the field's value. */
    public record TimeAndValue(long time, double value) {
    }

    /** Every point of {@code measurement} whose {@code function} tag is {@code function}, oldest first; time in epoch nanoseconds. */
    public List<Map<String, Object>> pointsOf(String measurement, String function) {
        return select("SELECT * FROM \"" + measurement + "\" WHERE \"function\" = '" + function + "'");
    }

    /** Rows of an InfluxQL query; {@code time} in epoch nanoseconds. */
    public List<Map<String, Object>> select(String influxql) {
        QueryResult result = client.query(new Query(influxql, database), TimeUnit.NANOSECONDS);
        if (result.hasError()) {
            throw new AssertionError(influxql + ": " + result.getError());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (QueryResult.Result r : result.getResults()) {
            if (r.hasError()) {
                throw new AssertionError(influxql + ": " + r.getError());
            }
            if (r.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series series : r.getSeries()) {
                for (List<Object> values : series.getValues()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    if (series.getTags() != null) {
                        row.putAll(series.getTags());
                    }
                    for (int i = 0; i < values.size(); i++) {
                        if (values.get(i) != null) {
                            row.put(series.getColumns().get(i), values.get(i));
                        }
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** The single number a {@code SELECT count(...)} returns, 0 when nothing matched. */
    public long count(String influxql) {
        List<Map<String, Object>> rows = select(influxql);
        if (rows.isEmpty()) {
            return 0;
        }
        return ((Number) rows.get(0).get("count")).longValue();
    }

    @Override
    public void close() {
        client.close();
    }
}

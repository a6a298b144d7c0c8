package io.rawmetrics.influxd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Reads points back from a real InfluxDB, as rows of column name to value, for tests that prove
 * what the server stores.
 */
public final class PointsInInflux implements AutoCloseable {

    private final InfluxDB client;
    private final String database;

    public PointsInInflux(InfluxdProcess influxd, String database) {
        this.client = InfluxDBFactory.connect(influxd.url().toString());
        this.database = database;
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

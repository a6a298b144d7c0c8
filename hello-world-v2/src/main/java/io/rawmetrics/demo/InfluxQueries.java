package io.rawmetrics.demo;

import io.rawmetrics.RawMetricsConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/** How the {@code report} commands read InfluxDB: with the demo's settings, times in epoch milliseconds. */
final class InfluxQueries {

    private InfluxQueries() {
    }

    static InfluxDB connect(RawMetricsConfig config) {
        return config.username() == null
                ? InfluxDBFactory.connect(config.url().toString())
                : InfluxDBFactory.connect(config.url().toString(), config.username(), config.password());
    }

    /** The series of a one-statement query; an error, the server's or the query's, is thrown naming the query. */
    static List<QueryResult.Series> series(InfluxDB influx, RawMetricsConfig config, String influxql) {
        QueryResult result = influx.query(new Query(influxql, config.database()), TimeUnit.MILLISECONDS);
        if (result.hasError()) {
            throw new IllegalStateException(influxql + ": " + result.getError());
        }
        QueryResult.Result first = result.getResults().get(0);
        if (first.hasError()) {
            throw new IllegalStateException(influxql + ": " + first.getError());
        }
        return first.getSeries() == null ? List.of() : first.getSeries();
    }

    /** The rows of the first series, or none. */
    static List<List<Object>> rows(InfluxDB influx, RawMetricsConfig config, String influxql) {
        List<QueryResult.Series> series = series(influx, config, influxql);
        return series.isEmpty() ? List.of() : series.get(0).getValues();
    }
}

package io.rawmetrics.internal;

import io.rawmetrics.RawMetricsConfig;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Sends batches through influxdb-java's synchronous HTTP write. influxdb-java's own batching is
 * deliberately not used: its queue blocks the caller when full and it wants a {@code Point}
 * object per call; we already hold encoded line protocol.
 */
public final class InfluxDbLineSender implements LineSender {

    private final InfluxDB influxDB;
    private final String database;
    private final String retentionPolicy;

    public InfluxDbLineSender(RawMetricsConfig config) {
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .writeTimeout(30, TimeUnit.SECONDS);
        String url = config.url().toString();
        this.influxDB = config.username() == null
                ? InfluxDBFactory.connect(url, http)
                : InfluxDBFactory.connect(url, config.username(), config.password(), http);
        this.database = config.database();
        this.retentionPolicy = config.retentionPolicy();
    }

    @Override
    public void createDatabase() throws WriteException {
        try {
            QueryResult result = influxDB.query(new Query("CREATE DATABASE " + quoteIdentifier(database)));
            if (result.hasError()) {
                throw new WriteException("CREATE DATABASE " + database + " failed: " + result.getError(), false, null);
            }
        } catch (InfluxDBException e) {
            throw new WriteException("CREATE DATABASE " + database + " failed: " + e.getMessage(), e.isRetryWorth(), e);
        } catch (RuntimeException e) {
            throw new WriteException("CREATE DATABASE " + database + " failed: " + e, true, e);
        }
    }

    @Override
    public void send(CharSequence lines) throws WriteException {
        try {
            // influxdb-java takes a String: this copy (and its encoding to bytes) is the transport's cost.
            influxDB.write(database, retentionPolicy, InfluxDB.ConsistencyLevel.ONE, TimeUnit.NANOSECONDS,
                    lines.toString());
        } catch (InfluxDBException e) {
            throw new WriteException(e.getMessage(), e.isRetryWorth(), e);
        } catch (RuntimeException e) {
            // influxdb-java wraps transport failures in various runtime exceptions: a network
            // problem is worth another try.
            throw new WriteException(e.toString(), true, e);
        }
    }

    @Override
    public void close() {
        influxDB.close();
    }

    /** An InfluxQL identifier in double quotes, so any database name is accepted. */
    static String quoteIdentifier(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}

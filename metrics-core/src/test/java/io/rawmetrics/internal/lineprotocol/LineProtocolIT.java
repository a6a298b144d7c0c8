package io.rawmetrics.internal.lineprotocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.delivery.InfluxDbLineSender;
import io.rawmetrics.internal.writer.Pipeline;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Escaping proven against a real influxd 1.x: what goes in with special characters comes back equal. */
class LineProtocolIT {

    private static final String DB = "escaping";
    private static final String NASTY = "a b,c=d \"q\" 'single' C:\\dir\\x ünïcødé 日本 ✓ #hash";

    private static InfluxdProcess influxd;
    private static InfluxDB client;
    private static RawMetricsConfig config;

    @BeforeAll
    static void start() throws Exception {
        influxd = InfluxdProcess.startTemporary();
        client = InfluxDBFactory.connect(influxd.url().toString());
        config = RawMetricsConfig.builder().url(influxd.url().toString()).database(DB).build();
        try (InfluxDbLineSender sender = new InfluxDbLineSender(config)) {
            sender.createDatabase();
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        influxd.close();
    }

    private static QueryResult.Series onlySeries(String influxql) {
        QueryResult result = client.query(new Query(influxql, DB), TimeUnit.NANOSECONDS);
        assertTrue(!result.hasError() && !result.getResults().get(0).hasError(), () -> influxql + ": " + result);
        List<QueryResult.Series> series = result.getResults().get(0).getSeries();
        assertEquals(1, series.size(), influxql);
        return series.get(0);
    }

    private static Object column(QueryResult.Series series, String column) {
        return series.getValues().get(0).get(series.getColumns().indexOf(column));
    }

    @Test
    void measurementTagKeysAndTagValuesWithEverySpecialCharacterRoundTrip() {
        String measurement = "m " + NASTY;
        String tagKey = "k " + NASTY;
        String function = "f " + NASTY;
        TimedFunction site = new TimedFunction(measurement, function, Map.of(tagKey, "v " + NASTY));
        Pipeline pipeline = new Pipeline(config, new InfluxDbLineSender(config), HostIdentity.current(), Clock.SYSTEM);
        try {
            pipeline.record(site, 0, 1_500_000, null);
            assertTrue(pipeline.flush(Duration.ofSeconds(30)));
        } finally {
            pipeline.shutdown(Duration.ofSeconds(5));
        }

        QueryResult.Series series = onlySeries("SELECT * FROM " + InfluxDbLineSender.quoteIdentifier(measurement));
        assertEquals(measurement, series.getName());
        assertEquals("v " + NASTY, column(series, tagKey));
        assertEquals(function, column(series, "function"));
        assertEquals(0.0015, column(series, "application_time"));
    }

    @Test
    void stringFieldValuesAndFieldKeysWithEverySpecialCharacterRoundTrip() throws Exception {
        String value = NASTY + "\nsecond line \\ \" end\\";
        String fieldKey = "field " + NASTY;
        StringBuilder line = LineProtocol.appendMeasurement(new StringBuilder(), "strings").append(' ');
        LineProtocol.appendName(line, fieldKey).append('=');
        LineProtocol.appendStringValue(line, value).append(" 1000\n");
        try (InfluxDbLineSender sender = new InfluxDbLineSender(config)) {
            sender.send(LineBuffer.of(line));
        }

        assertEquals(value, column(onlySeries("SELECT * FROM strings"), fieldKey));
    }
}

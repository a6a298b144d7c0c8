package io.rawmetrics.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rawmetrics.RawMetricsConfig;
import org.junit.jupiter.api.Test;

class InfluxDbLineSenderTest {

    @Test
    void partialWriteWithFieldTypeConflictCountsTheDroppedPoints() {
        // As InfluxDB 1.6 answers, checked against a real server.
        assertEquals(2, InfluxDbLineSender.rejectedPoints("partial write: field type conflict: input field"
                + " \"v\" on measurement \"poisoned\" is type float, already exists as type string dropped=2"));
    }

    @Test
    void partialWriteWithUnparsableLinesCountsEachLine() {
        assertEquals(2, InfluxDbLineSender.rejectedPoints("partial write: unable to parse 'a b': invalid field format\n"
                + "unable to parse 'c d': invalid field format dropped=0"));
    }

    @Test
    void anyOtherFailureRefusedTheWholeBatch() {
        assertEquals(LineSender.WriteException.UNKNOWN, InfluxDbLineSender.rejectedPoints("authorization failed"));
        assertEquals(LineSender.WriteException.UNKNOWN, InfluxDbLineSender.rejectedPoints("database not found: \"x\""));
        assertEquals(LineSender.WriteException.UNKNOWN, InfluxDbLineSender.rejectedPoints(null));
    }

    @Test
    void httpStatusesSayWhetherToRetrySplitOrDrop() {
        assertEquals(LineSender.Failure.BAD_POINTS, InfluxDbLineSender.failureOf(400));
        assertEquals(LineSender.Failure.TOO_LARGE, InfluxDbLineSender.failureOf(413));
        assertEquals(LineSender.Failure.REFUSED, InfluxDbLineSender.failureOf(401));
        assertEquals(LineSender.Failure.REFUSED, InfluxDbLineSender.failureOf(403));
        assertEquals(LineSender.Failure.REFUSED, InfluxDbLineSender.failureOf(404));
        assertEquals(LineSender.Failure.UNAVAILABLE, InfluxDbLineSender.failureOf(408));
        assertEquals(LineSender.Failure.UNAVAILABLE, InfluxDbLineSender.failureOf(429));
        assertEquals(LineSender.Failure.UNAVAILABLE, InfluxDbLineSender.failureOf(500));
        assertEquals(LineSender.Failure.UNAVAILABLE, InfluxDbLineSender.failureOf(503));
    }

    @Test
    void errorTextIsInfluxDbsErrorFieldUnescaped() {
        assertEquals("database not found: \"x\"", InfluxDbLineSender.errorText("{\"error\":\"database not found: \\\"x\\\"\"}\n"));
        assertEquals("a\nb\u00e9", InfluxDbLineSender.errorText("{\"error\":\"a\\nb\\u00e9\"}"));
        assertEquals("<html>proxy error</html>", InfluxDbLineSender.errorText(" <html>proxy error</html>\n"));
    }

    @Test
    void theV1WriteUrlKeepsTheUrlsPathAndNamesTheDatabase() {
        RawMetricsConfig config = RawMetricsConfig.builder().url("http://vminsert:8480/insert/0/influx")
                .database("wsgi").retentionPolicy("week").build();
        assertEquals("http://vminsert:8480/insert/0/influx/write?db=wsgi&rp=week&precision=n",
                InfluxDbLineSender.writeUrl(config).toString());
    }

    @Test
    void theV2WriteUrlIsTheOneInfluxDb2Documents() {
        RawMetricsConfig config = RawMetricsConfig.builder().url("https://eu-central-1-1.aws.cloud2.influxdata.com/")
                .api(RawMetricsConfig.WriteApi.V2).orgAndBucket("my org", "requests").token("t").build();
        assertEquals("https://eu-central-1-1.aws.cloud2.influxdata.com/api/v2/write?org=my%20org&bucket=requests&precision=ns",
                InfluxDbLineSender.writeUrl(config).toString());
    }
}

package io.rawmetrics.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rawmetrics.RawMetricsConfig;
import org.junit.jupiter.api.Test;

class InfluxDbLineSenderTest {

    @Test
    void partialWriteWithFieldTypeConflictCountsTheDroppedPoints() {
        // As InfluxDB 1.6 answers, checked against a real server.
        assertEquals(2, InfluxDbAnswers.rejectedPoints("partial write: field type conflict: input field"
                + " \"v\" on measurement \"poisoned\" is type float, already exists as type string dropped=2"));
    }

    @Test
    void partialWriteWithUnparsableLinesCountsEachLine() {
        assertEquals(2, InfluxDbAnswers.rejectedPoints("partial write: unable to parse 'a b': invalid field format\n"
                + "unable to parse 'c d': invalid field format dropped=0"));
    }

    @Test
    void anyOtherFailureRefusedTheWholeBatch() {
        assertEquals(LineSender.WriteException.UNKNOWN, InfluxDbAnswers.rejectedPoints("authorization failed"));
        assertEquals(LineSender.WriteException.UNKNOWN, InfluxDbAnswers.rejectedPoints("database not found: \"x\""));
        assertEquals(LineSender.WriteException.UNKNOWN, InfluxDbAnswers.rejectedPoints(null));
    }

    @Test
    void httpStatusesSayWhetherToRetrySplitOrDrop() {
        assertEquals(LineSender.Failure.BAD_POINTS, InfluxDbAnswers.failureOf(400));
        assertEquals(LineSender.Failure.TOO_LARGE, InfluxDbAnswers.failureOf(413));
        assertEquals(LineSender.Failure.REFUSED, InfluxDbAnswers.failureOf(401));
        assertEquals(LineSender.Failure.REFUSED, InfluxDbAnswers.failureOf(403));
        assertEquals(LineSender.Failure.REFUSED, InfluxDbAnswers.failureOf(404));
        assertEquals(LineSender.Failure.UNAVAILABLE, InfluxDbAnswers.failureOf(408));
        assertEquals(LineSender.Failure.UNAVAILABLE, InfluxDbAnswers.failureOf(429));
        assertEquals(LineSender.Failure.UNAVAILABLE, InfluxDbAnswers.failureOf(500));
        assertEquals(LineSender.Failure.UNAVAILABLE, InfluxDbAnswers.failureOf(503));
    }

    @Test
    void influxDbsDatabaseNotFoundIsAMissingTargetAndOtherRefusalsAreNot() {
        assertEquals(true, InfluxDbAnswers.isDatabaseNotFound(new LineSender.WriteException(
                "HTTP 404: database not found: \"x\"", LineSender.Failure.REFUSED, null)));
        assertEquals(false, InfluxDbAnswers.isDatabaseNotFound(new LineSender.WriteException(
                "HTTP 401: authorization failed", LineSender.Failure.REFUSED, null)));
    }

    @Test
    void errorTextIsInfluxDbsErrorFieldUnescaped() {
        assertEquals("database not found: \"x\"", InfluxDbAnswers.errorText("{\"error\":\"database not found: \\\"x\\\"\"}\n"));
        assertEquals("a\nb\u00e9", InfluxDbAnswers.errorText("{\"error\":\"a\\nb\\u00e9\"}"));
        assertEquals("<html>proxy error</html>", InfluxDbAnswers.errorText(" <html>proxy error</html>\n"));
    }

    @Test
    void messagesNameTheServerItsSenderWritesToAndTheUserButNeverThePassword() {
        RawMetricsConfig config = RawMetricsConfig.builder().url("http://db:8086").credentials("ops", "secret").build();
        LineSender sender = Senders.forConfig(config);
        assertEquals("InfluxDB at http://db:8086", sender.server(), "named before its client is made");
        RetryingSender retrying = new RetryingSender(sender, config, new StopSignal(java.time.Duration.ofSeconds(1)),
                new RetryingSender.Backlog() {
                    @Override
                    public long dropped() {
                        return 0;
                    }

                    @Override
                    public long waiting() {
                        return 0;
                    }
                });
        assertEquals("InfluxDB at http://db:8086 (user ops)", retrying.server(true));
        assertEquals("InfluxDB at http://db:8086", retrying.server(false));
    }

    @Test
    void theV1WriteUrlKeepsTheUrlsPathAndNamesTheDatabase() {
        RawMetricsConfig config = RawMetricsConfig.builder().url("http://vminsert:8480/insert/0/influx")
                .database("wsgi").retentionPolicy("week").build();
        assertEquals("http://vminsert:8480/insert/0/influx/write?db=wsgi&rp=week&precision=n",
                InfluxDbHttp.writeUrl(config).toString());
    }

    @Test
    void theV2WriteUrlIsTheOneInfluxDb2Documents() {
        RawMetricsConfig config = RawMetricsConfig.builder().url("https://eu-central-1-1.aws.cloud2.influxdata.com/")
                .api(RawMetricsConfig.WriteApi.V2).orgAndBucket("my org", "requests").token("t").build();
        assertEquals("https://eu-central-1-1.aws.cloud2.influxdata.com/api/v2/write?org=my%20org&bucket=requests&precision=ns",
                InfluxDbHttp.writeUrl(config).toString());
    }
}

package io.rawmetrics.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TestCalls;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.writer.Pipeline;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A batch that reached InfluxDB but whose answer was lost (a read timeout, a dropped connection) is
 * sent again: it carries the same timestamps, so InfluxDB overwrites the points instead of doubling them.
 */
class RetriedWriteIT {

    @Test
    void aBatchSentAgainAfterALostAnswerIsStoredOnce() throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux points = new PointsInInflux(influxd, "retried")) {
            RawMetricsConfig config = RawMetricsConfig.builder().url(influxd.url().toString()).database("retried")
                    .flushInterval(Duration.ofHours(1)).build();
            InfluxDbLineSender real = new InfluxDbLineSender(config);
            AtomicInteger sends = new AtomicInteger();
            LineSender losesFirstAnswers = new LineSender() {
                @Override
                public void createDatabase() throws WriteException {
                    real.createDatabase();
                }

                @Override
                public void send(byte[] bytes, int offset, int length) throws WriteException {
                    real.send(bytes, offset, length); // stored by the server...
                    if (sends.incrementAndGet() <= 2) {
                        throw new WriteException("read timeout", Failure.UNAVAILABLE, null); // ...but the answer is lost
                    }
                }

                @Override
                public void close() {
                    real.close();
                }
            };
            Pipeline pipeline = new Pipeline(config, losesFirstAnswers, new HostIdentity("h", "h:1"), Clock.SYSTEM);
            try {
                TestCalls.record(pipeline, TimedFunction.named("App.f"), 1000);
                assertTrue(pipeline.flush(Duration.ofSeconds(30)));
            } finally {
                pipeline.shutdown(Duration.ofSeconds(5));
            }

            assertEquals(3, sends.get(), "sent three times");
            assertEquals(1000, pipeline.delivered());
            assertEquals(1000, points.count("SELECT count(application_time) FROM \"raw-requests\""));
        }
    }
}

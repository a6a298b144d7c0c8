package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.fixtures.PlainService;
import io.rawmetrics.it.fixtures.ReportService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Methods selected by a user's pointcut (TimedPointcut), not an annotation, against a real influxd. */
class TimedPointcutIT {

    @Test
    void methodsSelectedByAPointcutBecomePointsAndAnnotatedOnesAreTimedOnce() {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux points = new PointsInInflux(influxd, "pointcut")) {
            RawMetrics.start(RawMetricsConfig.builder().url(influxd.url().toString()).database("pointcut").build());
            PlainService service = new PlainService();
            assertEquals("3 rows", new ReportService().render(3));
            for (int i = 0; i < 3; i++) {
                assertEquals(i + 1, service.handle(i));
            }
            assertEquals(7, service.annotatedToo());
            assertTrue(RawMetrics.flush(Duration.ofSeconds(30)));

            List<Map<String, Object>> handled = points.pointsOf("raw-requests", "io.rawmetrics.it.fixtures.PlainService.handle");
            assertEquals(3, handled.size());
            assertEquals("ok", handled.get(0).get("outcome"));
            assertEquals(1, points.pointsOf("raw-requests", "io.rawmetrics.it.fixtures.PlainService.annotatedToo").size(),
                    "selected by the pointcut and annotated: one point, not two");
            assertEquals(1, points.pointsOf("raw-requests", "io.rawmetrics.it.fixtures.ReportService.render").size(),
                    "selected by an annotation-style pointcut aspect");
        } finally {
            RawMetrics.stop(Duration.ofSeconds(5));
        }
    }
}

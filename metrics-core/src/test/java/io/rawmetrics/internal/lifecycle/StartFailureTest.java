package io.rawmetrics.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.CallRecorder;
import io.rawmetrics.internal.LogCapture;
import io.rawmetrics.internal.TimedFunction;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The start thread never dies silently (issue 34): a start from the environment that fails of
 * anything but a setting (here a class that cannot be loaded) says so with its cause and the
 * calls it lost, counts every later call as not recorded, and the calls go on unchanged.
 */
class StartFailureTest {

    @AfterEach
    void restore() {
        Lifecycle.environment = RawMetricsConfig::fromEnvironment;
        Lifecycle.stop(Duration.ofSeconds(1));
    }

    @Test
    void aStartThatFailsOfAnErrorSaysSoWithTheCallsItLostAndCountsEveryLaterOne() {
        Lifecycle.environment = () -> {
            throw new NoClassDefFoundError("io/rawmetrics/internal/Gone");
        };
        try (LogCapture log = new LogCapture()) {
            TimedFunction site = TimedFunction.named("App.f");
            CallRecorder starting = Lifecycle.currentRecorder();
            for (int i = 0; i < 10; i++) {
                long now = System.nanoTime();
                starting.record(site, now - 100, now, null); // while the start is under way
            }
            String said = "rawmetrics: could not start recording: java.lang.NoClassDefFoundError:"
                    + " io/rawmetrics/internal/Gone; the 10 timed calls made so far are lost, and later ones are counted"
                    + " as not recorded (RawMetrics.stats())";
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!log.messages().contains(said) && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(1_000_000); // poll until the start has failed and said so, within the deadline
            }
            for (int i = 0; i < 5; i++) {
                long now = System.nanoTime();
                Lifecycle.currentRecorder().record(site, now - 100, now, null);
            }

            assertEquals(15, Lifecycle.notRecorded());
            RawMetrics.Stats stats = RawMetrics.stats();
            assertEquals(15, stats.recorded());
            assertEquals(15, stats.dropped());
            assertEquals(0, stats.delivered());
            assertEquals(0, stats.buffered());
            assertTrue(log.messages().contains(said), log.messages().toString());
        }
    }
}

package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.it.fixtures.MethodKinds;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whatever goes wrong on the metrics side, the timed method behaves exactly as without it. */
class MetricsNeverBreakTheCallerIT {

    private final MethodKinds kinds = new MethodKinds();

    @AfterEach
    void stopRecorder() {
        System.clearProperty(RawMetricsConfig.BATCH_SIZE);
        System.clearProperty(RawMetricsConfig.ENABLED);
        RawMetrics.stop(Duration.ofSeconds(1));
    }

    @Test
    void unreachableInfluxDbLeavesResultsAndExceptionsUnchanged() {
        RawMetrics.start(RawMetricsConfig.builder()
                .url("http://127.0.0.1:" + InfluxdProcess.freePort())
                .build());

        for (int i = 0; i < 10_000; i++) {
            assertEquals(i * 31 + 7, kinds.instanceMethod(i));
        }
        IllegalStateException thrown = new IllegalStateException();
        assertSame(thrown, assertThrows(IllegalStateException.class, () -> kinds.throwsUnchecked(thrown)));
        assertFalse(RawMetrics.flush(Duration.ofMillis(200)), "nothing can be written");
        assertEquals(0, RawMetrics.stats().dropped(), "points are kept for when the server comes back");
    }

    @Test
    void invalidConfigurationInTheEnvironmentDisablesRecordingButNotTheMethod() {
        RawMetrics.stop(Duration.ofSeconds(1));
        System.setProperty(RawMetricsConfig.BATCH_SIZE, "lots");

        assertEquals(69, kinds.instanceMethod(2), "the first call starts the recorder lazily and fails");
        assertEquals(69, kinds.instanceMethod(2));
        assertEquals(RawMetrics.Stats.NONE, RawMetrics.stats());
    }

    @Test
    void disabledRecordsNothing() {
        System.setProperty(RawMetricsConfig.ENABLED, "false");
        RawMetrics.start();

        assertEquals(69, kinds.instanceMethod(2));
        assertEquals(RawMetrics.Stats.NONE, RawMetrics.stats());
    }
}

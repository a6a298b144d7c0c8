package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.fixtures.PlainService;
import io.rawmetrics.it.fixtures.TaggedCalls;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code @Tag} parameters woven by ajc as in a user's build, called for real, every point read back
 * from a real influxd: values, counts per value, the cardinality guard, hostile values, resolvers,
 * and the time each point says its call took.
 */
class TagsIT {

    private static final String DB = "tags_it";
    private static final String FIXTURES = "io.rawmetrics.it.fixtures.TaggedCalls.";
    private static final int MAX_TAG_VALUES = 50;
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

    private static InfluxdProcess influxd;
    private static PointsInInflux influx;
    private static final List<String> warnings = new ArrayList<>();
    /** Held, so that java.util.logging keeps the logger, and its handler, for the whole class. */
    private static final Logger LIBRARY_LOGGER = Logger.getLogger("io.rawmetrics");
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                synchronized (warnings) {
                    warnings.add(record.getMessage());
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final TaggedCalls calls = new TaggedCalls();

    @BeforeAll
    static void startInfluxdAndRecorder() {
        LIBRARY_LOGGER.addHandler(CAPTURE);
        influxd = InfluxdProcess.startTemporary();
        influx = new PointsInInflux(influxd, DB);
        RawMetrics.start(RawMetricsConfig.builder()
                .url(influxd.url().toString())
                .database(DB)
                .bufferCapacity(500_000)
                .maxTagValues(MAX_TAG_VALUES)
                .build());
    }

    @AfterAll
    static void stop() {
        RawMetrics.stop(Duration.ofSeconds(10));
        influx.close();
        influxd.close();
        LIBRARY_LOGGER.removeHandler(CAPTURE);
    }

    private List<Map<String, Object>> flushAndRead(String function) {
        assertTrue(RawMetrics.flush(FLUSH_TIMEOUT), "flush completed");
        return influx.pointsOf("raw-requests", FIXTURES + function);
    }

    /** Points per value of {@code tag}; a point without the tag counts under "". */
    private static Map<String, Long> countsBy(String tag, List<Map<String, Object>> points) {
        return points.stream().collect(Collectors.groupingBy(p -> String.valueOf(p.getOrDefault(tag, "")), TreeMap::new,
                Collectors.counting()));
    }

    private static RawMetrics.TagStats tagStats(String function, String tag) {
        return RawMetrics.stats().tags().stream()
                .filter(t -> t.function().equals(FIXTURES + function) && t.tag().equals(tag))
                .findFirst().orElseThrow(() -> new AssertionError("no stats of tag " + tag + " of " + function
                        + ": " + RawMetrics.stats().tags()));
    }

    @Test
    void tenThousandCallsOverFiveTenantsAreFiveSeriesWithExactCounts() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                for (int i = 0; i < 2_500; i++) {
                    String tenant = "tenant-" + ((thread * 2_500 + i) % 5);
                    assertEquals("served " + tenant, calls.tenant(tenant));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        threads.shutdown();

        List<Map<String, Object>> points = flushAndRead("tenant");
        assertEquals(Map.of("tenant-0", 2_000L, "tenant-1", 2_000L, "tenant-2", 2_000L, "tenant-3", 2_000L,
                "tenant-4", 2_000L), countsBy("tenant", points));
        List<Map<String, Object>> series = influx.select(
                "SHOW SERIES FROM \"raw-requests\" WHERE \"function\" = '" + FIXTURES + "tenant'");
        assertEquals(5, series.size(), () -> "one series per tenant: " + series);
        assertEquals(new RawMetrics.TagStats(FIXTURES + "tenant", "tenant", 5, 0, 0, 0), tagStats("tenant", "tenant"));
    }

    @Test
    void aThousandValuesOverTheCapAreFiftySeriesAndOtherWithEveryCallCounted() {
        int before = warningsAbout("tag 'value' of " + FIXTURES + "value has taken");
        for (int i = 0; i < 5_000; i++) {
            calls.value("v" + (i % 1_000));
        }

        Map<String, Long> counts = countsBy("value", flushAndRead("value"));
        assertEquals(MAX_TAG_VALUES + 1, counts.size(), () -> "50 values and other: " + counts.keySet());
        assertEquals(5_000L, counts.values().stream().mapToLong(Long::longValue).sum());
        for (int i = 0; i < MAX_TAG_VALUES; i++) {
            assertEquals(5L, counts.get("v" + i), "the first 50 values keep their series: v" + i);
        }
        assertEquals(5_000L - 5 * MAX_TAG_VALUES, counts.get("other"));
        RawMetrics.TagStats stats = tagStats("value", "value");
        assertEquals(MAX_TAG_VALUES, stats.values());
        assertEquals(5_000L - 5 * MAX_TAG_VALUES, stats.folded());
        assertEquals(1, warningsAbout("tag 'value' of " + FIXTURES + "value has taken") - before, () -> "one warning: "
                + warnings);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("has taken 50 distinct values")
                && w.contains("rawmetrics.max-tag-values")), () -> "names the cap: " + warnings);
    }

    private static int warningsAbout(String text) {
        synchronized (warnings) {
            return (int) warnings.stream().filter(w -> w.contains(text)).count();
        }
    }
}

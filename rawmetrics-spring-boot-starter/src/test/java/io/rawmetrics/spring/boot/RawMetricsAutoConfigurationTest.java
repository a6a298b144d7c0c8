package io.rawmetrics.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.InvalidConfigurationException;
import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.lifecycle.Lifecycle;
import io.rawmetrics.internal.TimedFunction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class RawMetricsAutoConfigurationTest {

    /** Nothing listens there: the recorder starts without the network, and writes only at its first flush. */
    private static final String NOWHERE = "rawmetrics.influxdb.url=http://127.0.0.1:9";

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RawMetricsAutoConfiguration.class))
            .withPropertyValues(NOWHERE, "rawmetrics.shutdown-timeout=100ms");

    @AfterEach
    void stopWhatATestLeftRunning() {
        RawMetrics.stop(Duration.ofSeconds(1));
    }

    @Test
    void readsItsSettingsFromTheApplicationsPropertiesWithRelaxedBinding() {
        contexts.withPropertyValues("rawmetrics.influxdb.database=shop", "rawmetrics.influxdb.createDatabase=false",
                "rawmetrics.batch_size=250", "rawmetrics.flush-interval=250ms", "rawmetrics.mode=both",
                "rawmetrics.function-modes[0]=com.example.Slow.*=raw", "rawmetrics.max-tag-values=20",
                "rawmetrics.maxTagValueLength=64").run(context -> {
            RawMetricsConfig config = context.getBean(RawMetricsConfig.class);
            assertEquals("shop", config.database());
            assertFalse(config.createDatabase());
            assertEquals(250, config.batchSize());
            assertEquals(Duration.ofMillis(250), config.flushInterval());
            assertEquals(RawMetricsConfig.Mode.BOTH, config.mode());
            assertEquals(Map.of("com.example.Slow.*", RawMetricsConfig.Mode.RAW), config.functionModes());
            assertEquals(20, config.maxTagValues());
            assertEquals(64, config.maxTagValueLength());
            assertFalse(config.shutdownHook(), "the context stops it, not a JVM hook");
        });
    }

    @Test
    void readsEnvironmentVariablesAsSpringDoes() {
        contexts.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME + "-test",
                        Map.of("RAWMETRICS_INFLUXDB_DATABASE", "fromenv", "RAWMETRICS_BUFFER_CAPACITY", "5000"))))
                .run(context -> {
                    RawMetricsConfig config = context.getBean(RawMetricsConfig.class);
                    assertEquals("fromenv", config.database());
                    assertEquals(5000, config.bufferCapacity());
                });
    }

    @Test
    void warnsAboutAnUnknownKeyNamingTheClosestOne() {
        try (LogLines log = new LogLines()) {
            contexts.withPropertyValues("rawmetrics.influxdb.databse=shop").run(context -> {
                assertTrue(context.isRunning());
                assertTrue(log.lines().stream().anyMatch(line -> line.startsWith("WARN rawmetrics: ignoring rawmetrics.influxdb.databse")
                        && line.contains("did you mean rawmetrics.influxdb.database?")), log.lines().toString());
            });
        }
    }

    @Test
    void warnsAboutAnUnknownEnvironmentVariableNamingTheClosestKey() {
        try (LogLines log = new LogLines()) {
            contexts.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                    new SystemEnvironmentPropertySource("test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of("RAWMETRICS_BATCH_SIZ", "10", "RAWMETRICS_BATCH_SIZE", "10",
                                    "RAWMETRICS_INFLUXDB_CREATE_DATABASE", "false"))))
                    .run(context -> {
                        List<String> warnings = log.lines().stream().filter(line -> line.startsWith("WARN")).toList();
                        assertEquals(List.of("WARN rawmetrics: ignoring the environment variable RAWMETRICS_BATCH_SIZ: no"
                                + " such setting; did you mean RAWMETRICS_BATCH_SIZE? (the settings are listed in"
                                + " docs/configuration.md)"), warnings, "the known ones are no warning");
                        assertFalse(context.getBean(RawMetricsConfig.class).createDatabase());
                    });
        }
    }

    @Test
    void theEndOfATestRunStopsTheRecorderSoThatItsLossesAreInTheTestOutput() {
        contexts.run(context -> {
            record(4);
            try (LogLines log = new LogLines()) {
                new TestRunEnd().testPlanExecutionFinished(null);
                assertFalse(RawMetrics.writeStatus().recording());
                assertTrue(log.lines().stream().anyMatch(line -> line.startsWith("WARN rawmetrics: of 4 calls recorded,"
                        + " 4 calls were not written to http://127.0.0.1:9")), log.lines().toString());
            }
        });
    }

    @Test
    void aBadValueFailsTheStartWithAnAnalysisNamingEveryBadKeyAndValue() {
        contexts.withPropertyValues("rawmetrics.batch-size=-3", "rawmetrics.flush-interval=soon").run(context -> {
            Throwable failure = context.getStartupFailure();
            assertInstanceOf(Throwable.class, failure, "the start failed");
            FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer().analyze(failure);
            assertTrue(analysis.getDescription().contains("rawmetrics.batch-size: '-3'"), analysis.getDescription());
            assertTrue(analysis.getDescription().contains("rawmetrics.flush-interval: 'soon'"), analysis.getDescription());
            assertTrue(analysis.getAction().contains("rawmetrics.batch-size") && analysis.getAction().contains("rawmetrics.flush-interval"),
                    analysis.getAction());
            assertInstanceOf(InvalidConfigurationException.class, analysis.getCause());
        });
    }

    @Test
    void logsOneLineAtStartNamingWhereThePointsGoAndTheMode() {
        try (LogLines log = new LogLines()) {
            contexts.withPropertyValues("rawmetrics.influxdb.database=shop", "rawmetrics.influxdb.username=ops",
                    "rawmetrics.influxdb.password=s3cret").run(context -> {
                List<String> lines = log.lines();
                assertTrue(lines.contains("INFO rawmetrics: recording timed calls to InfluxDB at http://127.0.0.1:9, database shop, mode raw"),
                        lines.toString());
                assertFalse(lines.toString().contains("s3cret"), lines.toString());
            });
        }
    }

    @Test
    void recordsWhileTheContextRunsAndLeavesNoThreadWhenItClosesThenRecordsAgainInTheNext() {
        for (int round = 0; round < 2; round++) {
            ConfigurableApplicationContext[] kept = new ConfigurableApplicationContext[1];
            contexts.run(context -> {
                kept[0] = context;
                assertTrue(RawMetrics.writeStatus().recording(), "recording with the context");
                assertFalse(libraryThreads().isEmpty(), "the writer runs");
                record(5);
                assertEquals(5, RawMetrics.stats().recorded(), "a recorder of this context's own");
            });
            assertFalse(kept[0].isActive());
            assertFalse(RawMetrics.writeStatus().recording(), "stopped with the context");
            assertEquals(Set.of(), libraryThreads(), "threads left behind after round " + round);
        }
    }

    @Test
    void aContextClosingNeverStopsTheRecorderAnotherContextStartedSince() {
        contexts.run(first -> {
            contexts.withPropertyValues("rawmetrics.influxdb.database=second").run(second ->
                    assertEquals("second", RawMetrics.writeStatus().database()));
            // The second replaced the first's recorder, and stopped it on closing: the first no longer records.
            assertFalse(RawMetrics.writeStatus().recording());
        });
        contexts.run(first -> {
            ConfigurableApplicationContext other = new org.springframework.context.support.GenericApplicationContext();
            other.refresh();
            other.close();
            assertTrue(RawMetrics.writeStatus().recording(), "a context without rawmetrics stops nothing");
        });
    }

    @Test
    void notRecordingWhenDisabledSaysSoAtStart() {
        try (LogLines log = new LogLines()) {
            contexts.withPropertyValues("rawmetrics.enabled=false").run(context -> {
                assertFalse(RawMetrics.writeStatus().recording());
                assertTrue(log.lines().contains("INFO rawmetrics: not recording timed calls (rawmetrics.enabled=false)"),
                        log.lines().toString());
            });
        }
    }

    @Test
    void aCallEndingAfterTheContextClosedIsNotRecordedAndTheFirstSaysSo() {
        contexts.run(context -> record(1));
        try (LogLines log = new LogLines()) {
            record(3);
            assertFalse(RawMetrics.writeStatus().recording(), "no recorder started from the environment");
            assertEquals(Set.of(), libraryThreads());
            assertEquals(List.of("WARN rawmetrics: a call of com.example.Shop.order ended after the application context"
                    + " stopped rawmetrics and is not written (nor are later ones, until rawmetrics starts again)"), log.lines());
        }
    }

    /** A bean that makes timed calls while the context creates it, as a cache warmed in a {@code @PostConstruct}. */
    static final class WarmsUpWhileCreated {
        WarmsUpWhileCreated() {
            record(7);
        }
    }

    @Test
    void timedCallsMadeWhileTheContextCreatesItsBeansAreRecordedByTheContextsRecorder() {
        contexts.withPropertyValues("rawmetrics.influxdb.database=shop").withBean(WarmsUpWhileCreated.class).run(context -> {
            assertEquals("shop", RawMetrics.writeStatus().database(), "the context's recorder, not one from the environment");
            assertEquals(7, RawMetrics.stats().recorded());
        });
    }

    /** Makes timed calls while created, then fails: the context does not start. */
    static final class FailsAfterWarmingUp {
        FailsAfterWarmingUp() {
            record(7);
            throw new IllegalStateException("the cache's source is away");
        }
    }

    @Test
    void callsHeldForAContextThatFailsToStartAreSaidNotToBeRecorded() {
        try (LogLines log = new LogLines()) {
            contexts.withBean(FailsAfterWarmingUp.class)
                    .run(context -> assertInstanceOf(Throwable.class, context.getStartupFailure()));
            assertTrue(log.lines().contains("WARN rawmetrics: 7 timed calls made while the application was being set up"
                    + " are not recorded: it did not start"), log.lines().toString());
            assertFalse(RawMetrics.writeStatus().recording());
        }
    }

    /** {@code calls} calls of {@code com.example.Shop.order} ending now, as the woven advice records them. */
    private static void record(int calls) {
        TimedFunction site = TimedFunction.named("com.example.Shop.order");
        for (int i = 0; i < calls; i++) {
            long now = System.nanoTime();
            Lifecycle.currentRecorder().record(site, now - 1_000, now, null);
        }
    }

    /** The library's threads still alive, once given a moment to end (they are joined at stop). */
    static Set<String> libraryThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("rawmetrics")).collect(Collectors.toSet());
    }
}

package io.rawmetrics.spring.boot.actuate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.rawmetrics.RawMetrics;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.internal.lifecycle.Lifecycle;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.spring.boot.RawMetricsAutoConfiguration;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The health group and the meters with Spring Boot 3's Actuator (Boot 4's: the example apps' tests). */
class ActuatorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RawMetricsAutoConfiguration.class, Boot3HealthAutoConfiguration.class,
                    MetersAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                    ApplicationAvailabilityAutoConfiguration.class, AvailabilityHealthContributorAutoConfiguration.class,
                    AvailabilityProbesAutoConfiguration.class,
                    HealthEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class))
            .withPropertyValues("rawmetrics.flush-interval=100ms", "rawmetrics.shutdown-timeout=200ms",
                    "management.endpoint.health.show-details=always",
                    "management.endpoint.health.probes.enabled=true", "management.endpoint.health.probes.add-additional-paths=true");

    @AfterEach
    void stop() {
        RawMetrics.stop(Duration.ofSeconds(1));
    }

    @Test
    void theApplicationStaysUpWhileInfluxDbIsDownAndTheRawmetricsGroupSaysDownAndWhy() {
        contexts.withPropertyValues("rawmetrics.influxdb.url=http://127.0.0.1:9").run(context -> {
            // What SpringApplication publishes once started (a context runner has no SpringApplication).
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            HealthEndpoint health = context.getBean(HealthEndpoint.class);
            HealthComponent group = await(() -> health.healthForPath(WriteHealth.GROUP), h -> h.getStatus().equals(Status.DOWN));

            Health rawmetrics = (Health) ((CompositeHealth) group).getComponents().get(WriteHealth.CONTRIBUTOR);
            assertTrue(String.valueOf(rawmetrics.getDetails().get("error")).contains("127.0.0.1:9"), rawmetrics.getDetails().toString());
            assertEquals("http://127.0.0.1:9", rawmetrics.getDetails().get("server"));
            assertTrue(rawmetrics.getDetails().containsKey("failingSince"), rawmetrics.getDetails().toString());

            HealthComponent application = health.health();
            assertEquals(Status.UP, application.getStatus(), "the application's health");
            assertTrue(!((CompositeHealth) application).getComponents().containsKey(WriteHealth.CONTRIBUTOR), "not in /actuator/health");
            assertEquals(Status.UP, health.healthForPath("liveness").getStatus());
            assertEquals(Status.UP, health.healthForPath("readiness").getStatus());
        });
    }

    @Test
    void withInfluxDbUpTheGroupIsUpAndTheMetersCountWhatWasRecordedAndDelivered() {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "actuated")) {
            contexts.withPropertyValues("rawmetrics.influxdb.url=" + influxd.url(), "rawmetrics.influxdb.database=actuated")
                    .run(context -> {
                        TimedFunction site = TimedFunction.named("com.example.Shop.order");
                        for (int i = 0; i < 25; i++) {
                            long now = System.nanoTime();
                            Lifecycle.currentRecorder().record(site, now - 1_000, now, null);
                        }
                        assertTrue(RawMetrics.flush(WAIT));
                        assertEquals(25, influx.count("SELECT count(application_time) FROM \"raw-requests\""));

                        HealthEndpoint health = context.getBean(HealthEndpoint.class);
                        assertEquals(Status.UP, health.healthForPath(WriteHealth.GROUP).getStatus());
                        MeterRegistry meters = context.getBean(MeterRegistry.class);
                        assertEquals(25.0, meters.get("rawmetrics.calls.recorded").functionCounter().count());
                        assertEquals(25.0, meters.get("rawmetrics.points.delivered").functionCounter().count());
                        assertEquals(0.0, meters.get("rawmetrics.calls.buffered").gauge().value());
                        assertEquals(0.0, meters.get("rawmetrics.calls.dropped").tag("cause", "buffer-full").functionCounter().count());
                        assertEquals(7, meters.find("rawmetrics.calls.dropped").functionCounters().size(), "one per cause");
                    });
        }
    }

    @Test
    void callsDroppedWhileTheBufferIsFullAreAMeterByCause() {
        contexts.withPropertyValues("rawmetrics.influxdb.url=http://127.0.0.1:9", "rawmetrics.buffer-capacity=1000",
                "rawmetrics.batch-size=500")
                .run(context -> {
                    TimedFunction site = TimedFunction.named("com.example.Shop.order");
                    for (int i = 0; i < 5_000; i++) {
                        long now = System.nanoTime();
                        Lifecycle.currentRecorder().record(site, now - 1_000, now, null);
                    }
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    double dropped = meters.get("rawmetrics.calls.dropped").tag("cause", "buffer-full").functionCounter().count();
                    assertTrue(dropped >= 3_000, "dropped " + dropped);
                    assertEquals(RawMetrics.stats().dropped(), (long) dropped);
                    assertEquals(5_000.0, meters.get("rawmetrics.calls.recorded").functionCounter().count());
                });
    }

    private static <T> T await(Supplier<T> read, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still " + value + " after " + WAIT);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll again
            value = read.get();
        }
        return value;
    }
}

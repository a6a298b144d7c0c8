package io.rawmetrics.spring.boot.actuate;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rawmetrics.RawMetrics;
import io.rawmetrics.spi.DroppedCalls;
import java.util.function.ToLongFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * rawmetrics' own counts as Micrometer meters, so that they show in {@code /actuator/metrics} and
 * in whatever registry the application exports to (Spring Boot binds every {@link MeterBinder}
 * bean, in Boot 3 and Boot 4 alike). Each is read from the recorder when the registry asks: a call
 * costs nothing more.
 */
@AutoConfiguration
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
public class MetersAutoConfiguration {

    /** The meters, bound by Spring Boot to every registry it configures. */
    @Bean
    @ConditionalOnMissingBean(name = "rawmetricsMeters")
    public MeterBinder rawmetricsMeters() {
        return MetersAutoConfiguration::bind;
    }

    static void bind(MeterRegistry registry) {
        counter(registry, "rawmetrics.calls.recorded", "Timed calls recorded", RawMetrics.Stats::recorded);
        counter(registry, "rawmetrics.points.delivered", "Points InfluxDB accepted", RawMetrics.Stats::delivered);
        counter(registry, "rawmetrics.writes.failed", "Write attempts that failed", RawMetrics.Stats::failedWrites);
        counter(registry, "rawmetrics.writes.retried", "Batches sent again after a failed attempt", RawMetrics.Stats::retries);
        counter(registry, "rawmetrics.calls.aggregated", "Calls counted by the aggregated mode", RawMetrics.Stats::aggregated);
        Gauge.builder("rawmetrics.calls.buffered", () -> RawMetrics.stats().buffered())
                .description("Calls waiting to be written: in memory, in the batch being sent, or in the spool")
                .baseUnit("calls").register(registry);
        for (DroppedCalls cause : DroppedCalls.values()) {
            dropped(registry, cause);
        }
    }

    private static void counter(MeterRegistry registry, String name, String description,
            ToLongFunction<RawMetrics.Stats> count) {
        FunctionCounter.builder(name, RawMetrics.class, ignored -> count.applyAsLong(RawMetrics.stats()))
                .description(description).baseUnit(name.contains("points") ? "points" : name.contains("writes")
                        ? "writes" : "calls").register(registry);
    }

    /** {@code rawmetrics.calls.dropped{cause=...}}: calls that will never be written, by why. */
    private static void dropped(MeterRegistry registry, DroppedCalls cause) {
        FunctionCounter.builder("rawmetrics.calls.dropped", cause, DroppedCalls::count)
                .description("Timed calls that will never be written, by cause").baseUnit("calls").tag("cause", cause.cause())
                .register(registry);
    }
}

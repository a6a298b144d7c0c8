package io.rawmetrics.benchmarks;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.lifecycle.Lifecycle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What timing a method that returns a Reactor {@code Mono} adds to a call, subscription included:
 * the same {@code Mono.just} returned by an untimed method and by a timed one, each subscribed to.
 * The timed one's result is observed by three side-effect operators (see metrics-aspect's
 * {@code ReactorResults}); its point goes to a writer that discards it, as in {@link PerCallBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class LazyResultBenchmark {

    private final Targets targets = new Targets();
    private int x;

    @Setup(Level.Trial)
    public void start() {
        Lifecycle.start(RawMetricsConfig.builder().bufferCapacity(20_000_000).createDatabase(false)
                .shutdownHook(false).build(), new DiscardingSender());
    }

    @TearDown(Level.Iteration)
    public void drain() {
        RawMetrics.flush(Duration.ofMinutes(1));
    }

    @TearDown(Level.Trial)
    public void stop() {
        RawMetrics.stop(Duration.ofMinutes(1));
    }

    @Benchmark
    public void monoUntimed(Blackhole hole) {
        targets.monoUntimed(x++).subscribe(hole::consume);
    }

    @Benchmark
    public void monoTimed(Blackhole hole) {
        targets.monoTimed(x++).subscribe(hole::consume);
    }
}

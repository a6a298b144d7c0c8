package io.rawmetrics.benchmarks;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.internal.lifecycle.Lifecycle;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of one timed call of a trivial method ({@code x * 31 + 7}, result consumed), beside the
 * floor (two {@code System.nanoTime()} reads) and the alternatives. Run at 1 and 2 threads with
 * {@code -prof gc}; see docs/performance.md.
 *
 * <p>Transports: rawmetrics' writer encodes every point to line protocol on its own thread and
 * hands the batches to a transport that discards them (no network), with a buffer big enough for
 * a whole iteration and a flush after each (not measured), so every measured call takes the full
 * recording path and none is dropped (checked at the end). The hand-written influxdb-java aspect
 * writes to an unreachable InfluxDB, so its batches fail fast and its queue never blocks the
 * caller: neither has the network on the caller's path.
 *
 * <p>Each trial ends by printing the writer thread's CPU time per point it delivered: at 2 threads
 * the writer shares the two cores with the callers, so that is part of what a call costs there
 * (docs/performance.md, "A timed call").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class PerCallBenchmark {

    private final Targets targets = new Targets();

    /** The writer's settings: by default it drains while the calls run, as in production. */
    @Param({"100ms"})
    public String flushInterval;

    @Param({"5000"})
    public int batchSize;

    /**
     * Whether the JVM's GC MXBeans are created first, as JMH's {@code -prof gc} does and as any
     * application reading GC metrics over JMX does. Under G1 this doubles functionCall's time
     * (see docs/performance.md); {@code -p gcMXBeans=true} reproduces it without the profiler.
     */
    @Param({"false"})
    public boolean gcMXBeans;

    /**
     * Whether a spool directory is set ({@code rawmetrics.spool-directory}): with the server up
     * (here, a sender that takes every batch) nothing goes to it, and a call must cost the same.
     */
    @Param({"false"})
    public boolean spool;

    /** Each thread's own input, so nothing is constant-folded. */
    @State(Scope.Thread)
    public static class Input {
        int x;
        /** Tenants, made once: a call's tag value has been seen before, as in a server's steady state. */
        final String[] tenants = {"acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka"};
        final String[] regions = {"eu", "us"};
    }

    @Setup(Level.Trial)
    public void start(BenchmarkParams params) {
        // JMH runs each benchmark in a fork of its own: functionCallAggregated's runs the aggregated mode.
        RawMetricsConfig.Mode mode = params.getBenchmark().endsWith("Aggregated")
                ? RawMetricsConfig.Mode.AGGREGATED : RawMetricsConfig.Mode.RAW;
        // opentelemetry-api is on this class path: trace ids are on only for the benchmarks about
        // them, and every other one takes the path of an application without the API.
        RawMetricsConfig.Builder config = RawMetricsConfig.builder().traceIds(params.getBenchmark().contains("Span"));
        if (spool) {
            try {
                config.spoolDirectory(java.nio.file.Files.createTempDirectory("rawmetrics-spool"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        Lifecycle.start(config
                .mode(mode)
                .bufferCapacity(120_000_000)
                .batchSize(batchSize)
                .set(RawMetricsConfig.FLUSH_INTERVAL, flushInterval)
                .createDatabase(false)
                .shutdownHook(false)
                .build(), new DiscardingSender());
        Metrics.addRegistry(new SimpleMeterRegistry());
        if (gcMXBeans) {
            ManagementFactory.getGarbageCollectorMXBeans();
        }
        InfluxdbJavaAspect.connect("http://127.0.0.1:" + InfluxdProcess.freePort(), "bench");
    }

    /** Empties the recorder's buffer between iterations, outside the measurement. */
    @TearDown(Level.Iteration)
    public void drain() {
        if (!RawMetrics.flush(Duration.ofMinutes(5))) {
            throw new IllegalStateException("the recorder did not drain");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        long writerCpu = WriterThread.find().cpuNanos();
        RawMetrics.stop(Duration.ofMinutes(1));
        RawMetrics.Stats stats = RawMetrics.stats();
        // The aggregated calls that found the buffer full: counted, but on the slow path.
        long overflowed = io.rawmetrics.internal.lifecycle.Lifecycle.pipelineForStats().aggregatedOverflowed();
        System.out.println("rawmetrics: delivered " + stats.delivered() + " points, dropped " + stats.dropped()
                + "; aggregated " + stats.aggregated() + " calls, in points delivered " + stats.aggregatedDelivered()
                + ", of which found the buffer full " + overflowed
                + (stats.delivered() == 0 ? "" : String.format(java.util.Locale.ROOT,
                        "; the writer thread's CPU per point delivered, warm-up included: %.1f ns",
                        (double) writerCpu / stats.delivered())));
        if (stats.dropped() != 0 || stats.aggregated() != stats.aggregatedDelivered()) {
            throw new IllegalStateException("calls were dropped: the measurement is not of the recording path");
        }
        InfluxdbJavaAspect.close();
    }

    @Benchmark
    public int baseline(Input in) {
        return targets.baseline(in.x++);
    }

    @Benchmark
    public long nanoTimePair(Input in, Blackhole hole) {
        long start = System.nanoTime();
        hole.consume(targets.baseline(in.x++));
        return System.nanoTime() - start;
    }

    @Benchmark
    public int functionCall(Input in) {
        return targets.functionCall(in.x++);
    }

    /** {@link #functionCall} timed through a composed annotation, two levels deep: described once, so the same cost. */
    @Benchmark
    public int functionCallComposed(Input in) {
        return targets.functionCallComposed(in.x++);
    }

    /**
     * {@link #functionCall} with a {@code @Tag("tenant") String} parameter, its value one of eight
     * seen before: the tagged path's cost is this minus functionCall.
     */
    @Benchmark
    public int functionCallTagged(Input in) {
        int x = in.x++;
        return targets.functionCallTagged(x, in.tenants[x & 7]);
    }

    /**
     * {@link #functionCall}'s work, returning one of eight strings tagged by a {@code @ResultTag}
     * whose resolver returns a constant: the result tag's cost is this minus functionCall.
     */
    @Benchmark
    public String functionCallResultTag(Input in) {
        int x = in.x++;
        return targets.functionCallResultTag(x, in.tenants[x & 7]);
    }

    /** {@link #functionCall} itself with a constant result tag: its {@code int} is boxed for the resolver. */
    @Benchmark
    public int functionCallResultTagInt(Input in) {
        return targets.functionCallResultTagInt(in.x++);
    }

    /** A result tag whose value is the result itself, one of eight strings: eight sites, alternating. */
    @Benchmark
    public String functionCallResultTagValue(Input in) {
        int x = in.x++;
        return targets.functionCallResultTagValue(x, in.tenants[x & 7]);
    }

    /**
     * {@link #functionCallTagged} with a second tag, {@code region}, one of two: 16 sites. The
     * arguments wait in the thread's array until the timing advice looks their site up.
     */
    @Benchmark
    public int functionCallTwoTags(Input in) {
        int x = in.x++;
        return targets.functionCallTwoTags(x, in.tenants[x & 7], in.regions[(x >> 3) & 1]);
    }

    /**
     * {@link #functionCall} with trace ids on ({@code opentelemetry-api} on the class path) and no
     * span current: what an application with the API pays for calls made outside any span.
     */
    @Benchmark
    public int functionCallOutsideSpan(Input in) {
        return targets.functionCall(in.x++);
    }

    /**
     * {@link #functionCall} made inside a sampled span of the OpenTelemetry SDK, current on the
     * calling thread: the call reads it and stores a reference to its context.
     */
    @Benchmark
    public int functionCallInSpan(Input in, InSpan span) {
        return targets.functionCall(in.x++);
    }

    /** A sampled span of the SDK, current on the benchmark thread for the whole trial. */
    @State(Scope.Thread)
    public static class InSpan {
        private SdkTracerProvider provider;
        private Span span;
        private io.opentelemetry.context.Scope scope;

        @Setup(Level.Trial)
        public void enter() {
            provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).addSpanProcessor(new SpanProcessor() {
                @Override
                public void onStart(Context parent, ReadWriteSpan started) {
                }

                @Override
                public boolean isStartRequired() {
                    return false;
                }

                @Override
                public void onEnd(ReadableSpan ended) {
                }

                @Override
                public boolean isEndRequired() {
                    return false;
                }
            }).build();
            span = provider.get("rawmetrics-benchmark").spanBuilder("request").startSpan();
            scope = span.makeCurrent();
            if (!Span.current().getSpanContext().isSampled()) {
                throw new IllegalStateException("no sampled span is current: the benchmark would measure nothing of it");
            }
        }

        @TearDown(Level.Trial)
        public void leave() {
            scope.close();
            span.end();
            provider.close();
        }
    }

    /** {@link #functionCall} in the aggregated mode: no point per call, the interval's aggregates instead. */
    @Benchmark
    public int functionCallAggregated(Input in) {
        return targets.functionCallAggregated(in.x++);
    }

    @Benchmark
    public int micrometerTimed(Input in) {
        return targets.micrometerTimed(in.x++);
    }

    @Benchmark
    public int influxdbJavaPoint(Input in) {
        return targets.influxdbJavaPoint(in.x++);
    }
}

package io.rawmetrics.internal.lineprotocol;

import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TimedFunction;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The writer's encoding cost per point, alone: what the writer thread spends on each call besides
 * draining it (docs/performance.md, "A timed call", explains why it matters at 2 threads). One site,
 * calls 1 µs apart lasting 48 ns, handed over as the drain does, a chunk's run of 256 calls at a
 * time, in batches of {@link #batchPoints}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class EncoderBenchmark {

    private final TimedFunction site = TimedFunction.named("io.rawmetrics.benchmarks.Targets.functionCall");
    private static final int RUN = 256;

    private BatchEncoder encoder;
    private final long[] times = new long[2 * RUN];
    private long now;

    /**
     * Points per batch: 5000 as the writer makes them (a 700 KB buffer, larger than some cores' L2
     * cache), and 500 (70 KB) to show what the buffer's size costs.
     */
    @Param({"5000", "500"})
    public int batchPoints;

    /**
     * Whether each call was made in an OpenTelemetry span ({@code span_id} and {@code trace_id}
     * fields): {@code none}; {@code one}, a request's calls sharing a span; {@code each}, a span of
     * its own per call, the most the writer can be asked to copy.
     */
    @Param({"none"})
    public String spans;

    /**
     * Sites the calls alternate between: {@code 1}, one site, whose calls the drain hands over in
     * runs of {@value #RUN}; {@code 8}, eight tagged sites (a {@code @Tag} of eight values) called
     * in turn, so that every run is one call and every point changes site (docs/performance.md,
     * tags: issue 37 asks that this cost the writer at most 1.3 times one site).
     */
    @Param({"1", "8"})
    public int sites;

    private TimedFunction[] siteKeys;

    /** The chunk's span contexts, as the drain hands them over; null when no call had one. */
    private Object[] spanContexts;

    @Setup
    public void setUp() {
        encoder = new BatchEncoder("raw-requests", Integer.MAX_VALUE, HostIdentity.current(), Clock.SYSTEM);
        encoder.startBatch();
        now = System.nanoTime();
        TimedFunction[] tagged = new TimedFunction[sites];
        for (int i = 0; i < sites; i++) {
            tagged[i] = new TimedFunction("raw-requests", site.function(), java.util.Map.of("tenant", "tenant-" + i));
        }
        siteKeys = new TimedFunction[RUN]; // each call's site, so that the loop below divides nothing
        for (int i = 0; i < RUN; i++) {
            siteKeys[i] = tagged[i % sites];
        }
        if (!spans.equals("none")) {
            spanContexts = new Object[RUN];
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < RUN; i++) {
                spanContexts[i] = spans.equals("one") && i > 0 ? spanContexts[0]
                        : io.opentelemetry.api.trace.SpanContext.create(String.format("%016x%016x", random.nextLong(), random.nextLong()),
                                String.format("%016x", random.nextLong()), io.opentelemetry.api.trace.TraceFlags.getSampled(),
                                io.opentelemetry.api.trace.TraceState.getDefault());
            }
        }
    }

    /** Encodes a run of {@value #RUN} calls; JMH divides the time by them. */
    @Benchmark
    @OperationsPerInvocation(RUN)
    public int encodeOnePoint() {
        if (encoder.points() + RUN > batchPoints) {
            // As the writer does after each batch when a thread's buffer was found empty: the
            // encoder remembers the timestamps of the last batch and 5 ms more (Pipeline's
            // LATE_STORE_NANOS), 10,000 here, since calls come 1 us apart. -Dwindow=NANOS sets another.
            encoder.drainedUntil(now - Long.getLong("window", 10_000_000L));
            encoder.startBatch();
        }
        for (int i = 0; i < RUN; i++) {
            now += 1_000;
            times[2 * i] = now - 48;
            times[2 * i + 1] = now;
        }
        if (sites == 1) {
            return encoder.accept(site, null, times, spanContexts, 0, RUN);
        }
        int taken = 0;
        for (int i = 0; i < RUN; i++) {
            taken += encoder.accept(siteKeys[i], null, times, spanContexts, i, i + 1);
        }
        return taken;
    }
}

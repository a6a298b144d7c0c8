package io.rawmetrics.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The whole cost of a timed call at a steady rate, not only the caller's part: 4 threads call a
 * timed method at 10,000, 100,000 and 1,000,000 calls a second in all, for a while each, against a
 * real influxd started here, with recording on and then off. Reports the process's CPU time per
 * call (all threads: callers, writer, HTTP client, GC, JIT), on minus off, split into the callers'
 * share and the writer thread's, and the points stored. Prints a Markdown table for
 * docs/performance.md.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rawmetrics.benchmarks.SteadyRateCost [seconds]
 * </pre>
 */
public final class SteadyRateCost {

    private static final int THREADS = 4;
    private static final Targets TARGETS = new Targets();
    private static final ThreadMXBean THREAD_CPU = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean PROCESS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private SteadyRateCost() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        // Optional: one row only, as "raw:100000", e.g. to profile it (-XX:StartFlightRecording).
        String only = args.length > 1 ? args[1] : null;
        StringBuilder table = new StringBuilder("| mode | calls/s | CPU per call, on | off | on − off | callers' share"
                + " (on − off) | writer thread | rest (GC, JIT, HTTP client) | calls | points stored |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary()) {
            warmUp(influxd);
            for (RawMetricsConfig.Mode mode : List.of(RawMetricsConfig.Mode.RAW, RawMetricsConfig.Mode.AGGREGATED)) {
                for (long rate : mode == RawMetricsConfig.Mode.RAW ? List.of(10_000L, 100_000L, 1_000_000L) : List.of(1_000_000L)) {
                    if (only != null && !only.equalsIgnoreCase(mode.name() + ":" + rate)) {
                        continue;
                    }
                    Run off = run(null, mode, rate, seconds);
                    Run on = run(influxd, mode, rate, seconds);
                    double onPerCall = on.processCpu / (double) on.calls;
                    double offPerCall = off.processCpu / (double) off.calls;
                    double callers = on.callerCpu / (double) on.calls - off.callerCpu / (double) off.calls;
                    double writer = on.writerCpu / (double) on.calls;
                    double total = onPerCall - offPerCall;
                    table.append(String.format(Locale.ROOT, "| %s | %,d | %.0f ns | %.0f ns | **%.0f ns** | %.0f ns | %.0f ns | %.0f ns | %,d | %s |%n",
                            mode.name().toLowerCase(Locale.ROOT), rate, onPerCall, offPerCall, total, callers, writer,
                            total - callers - writer, on.calls, on.stored));
                    System.err.println(table);
                }
            }
        }
        System.out.println(table);
    }

    /** JIT and class loading before the first measured run: a short run of each, on and off. */
    private static void warmUp(InfluxdProcess influxd) throws Exception {
        run(null, RawMetricsConfig.Mode.RAW, 100_000, 3);
        run(influxd, RawMetricsConfig.Mode.RAW, 100_000, 3);
        run(influxd, RawMetricsConfig.Mode.AGGREGATED, 100_000, 3);
    }

    private record Run(long calls, long processCpu, long callerCpu, long writerCpu, String stored) {
    }

    /** One run; recording off when {@code influxd} is null. */
    private static Run run(InfluxdProcess influxd, RawMetricsConfig.Mode mode, long rate, int seconds) throws Exception {
        String database = "steady_" + mode.name().toLowerCase(Locale.ROOT) + "_" + rate + "_" + System.nanoTime();
        RawMetricsConfig.Builder config = RawMetricsConfig.builder().mode(mode).bufferCapacity(4_000_000);
        if (influxd == null) {
            config.enabled(false);
        } else {
            config.url(influxd.url().toString()).database(database);
        }
        RawMetrics.start(config.build());
        WriterThread writer = influxd != null ? WriterThread.find() : null;
        long writerBefore = writer != null ? writer.cpuNanos() : 0;
        LongAdder calls = new LongAdder();
        long[] callerCpu = new long[THREADS];
        long processBefore = PROCESS.getProcessCpuTime();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int index = t;
            Thread thread = new Thread(() -> {
                long threadStart = THREAD_CPU.getCurrentThreadCpuTime();
                double perNano = rate / (double) THREADS / 1e9;
                // Wake up about every 64 calls (0.2 to 20 ms): the loop's own wake-ups must not
                // cost more than the calls, recording off as on.
                long pause = Math.max(200_000, Math.min(20_000_000, (long) (64 / perNano)));
                long made = 0;
                for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                    long due = (long) ((now - start) * perNano);
                    while (made < due) {
                        TARGETS.functionCall((int) made);
                        made++;
                    }
                    LockSupport.parkNanos(pause); // a steady rate, not flat out: the calls of each pause come together
                }
                calls.add(made);
                callerCpu[index] = THREAD_CPU.getCurrentThreadCpuTime() - threadStart;
            }, "caller-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        // What the calls cost the writer is done once their points are written: stop, then read.
        long writerCpu = 0;
        if (writer != null) {
            RawMetrics.flush(Duration.ofMinutes(2));
            writerCpu = writer.cpuNanos() - writerBefore;
        }
        long processCpu = PROCESS.getProcessCpuTime() - processBefore;
        RawMetrics.stop(Duration.ofMinutes(2));
        String stored = "-";
        if (influxd != null) {
            try (PointsInInflux points = new PointsInInflux(influxd, database)) {
                long inInflux = mode == RawMetricsConfig.Mode.RAW
                        ? points.count("SELECT count(application_time) FROM \"raw-requests\"")
                        : points.count("SELECT sum(\"count\") AS \"count\" FROM \"function-metrics\"");
                stored = String.format(Locale.ROOT, "%,d%s", inInflux, mode == RawMetricsConfig.Mode.RAW ? "" : " (counted)");
            }
        }
        long callerTotal = 0;
        for (long cpu : callerCpu) {
            callerTotal += cpu;
        }
        return new Run(calls.sum(), processCpu, callerTotal, writerCpu, stored);
    }
}

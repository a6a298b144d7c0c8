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
    /** Seconds of each run before the measured ones: see {@link #run}. */
    private static final int SETTLE_SECONDS = 5;
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
                + " (on − off) | writer thread | JIT (on − off) | rest (GC, HTTP client) | calls measured | points stored (whole run) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary()) {
            warmUp(influxd);
            for (RawMetricsConfig.Mode mode : List.of(RawMetricsConfig.Mode.RAW, RawMetricsConfig.Mode.AGGREGATED)) {
                for (long rate : mode == RawMetricsConfig.Mode.RAW ? List.of(10_000L, 100_000L, 1_000_000L) : List.of(1_000_000L)) {
                    if (only != null && !only.equalsIgnoreCase(mode.name() + ":" + rate)) {
                        continue;
                    }
                    Run off = run(null, mode, rate, seconds);
                    Run on = run(influxd, mode, rate, seconds);
                    double onPerCall = on.processCpu / (double) on.measuredCalls;
                    double offPerCall = off.processCpu / (double) off.measuredCalls;
                    double callers = on.callerCpu / (double) on.measuredCalls - off.callerCpu / (double) off.measuredCalls;
                    double writer = on.writerCpu / (double) on.measuredCalls;
                    double jit = on.jitCpu / (double) on.measuredCalls - off.jitCpu / (double) off.measuredCalls;
                    double total = onPerCall - offPerCall;
                    table.append(String.format(Locale.ROOT, "| %s | %,d | %.0f ns | %.0f ns | **%.0f ns** | %.0f ns | %.0f ns | %.0f ns | %.0f ns | %,d | %s of %,d |%n",
                            mode.name().toLowerCase(Locale.ROOT), rate, onPerCall, offPerCall, total, callers, writer, jit,
                            total - callers - writer - jit, on.measuredCalls, on.stored, on.calls));
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

    /**
     * A run's figures. {@code calls} all it made; {@code measuredCalls} those after its first
     * {@link #SETTLE_SECONDS}, to which every CPU time but the two {@code settle} ones belongs.
     */
    /** CPU time of the JIT's compiler threads, from /proc (Linux; 0 elsewhere), in ticks of 10 ms. */
    private static final class CompilerThreads {
        private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

        static long cpuNanos() {
            long ticks = 0;
            java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
            if (tasks == null) {
                return 0;
            }
            for (java.io.File task : tasks) {
                try {
                    String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                    int nameEnd = stat.lastIndexOf(')');
                    if (stat.substring(stat.indexOf('(') + 1, nameEnd).contains("CompilerThre")) {
                        String[] fields = stat.substring(nameEnd + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                    }
                } catch (java.io.IOException | RuntimeException gone) {
                    // the thread ended while being read: its time is lost to both readings alike
                }
            }
            return ticks * NANOS_PER_TICK;
        }
    }

    private record Run(long calls, long measuredCalls, long processCpu, long callerCpu, long writerCpu, long jitCpu,
            long settleCpu, long settleJit, String stored) {
    }

    /**
     * One run; recording off when {@code influxd} is null. The first {@link #SETTLE_SECONDS} are
     * not measured: the JIT compiles the recorder, the writer and the HTTP client then, once per
     * process, a cost a long-running program pays once and not per call. What it costs is printed
     * for each run ({@link Run#settleCpu}).
     */
    private static Run run(InfluxdProcess influxd, RawMetricsConfig.Mode mode, long rate, int seconds) throws Exception {
        String database = "steady_" + mode.name().toLowerCase(Locale.ROOT) + "_" + rate + "_" + System.nanoTime();
        RawMetricsConfig.Builder config = RawMetricsConfig.builder().mode(mode).bufferCapacity(4_000_000);
        if (influxd == null) {
            config.enabled(false);
        } else {
            config.url(influxd.url().toString()).database(database);
        }
        long processAtStart = PROCESS.getProcessCpuTime();
        long jitAtStart = CompilerThreads.cpuNanos();
        RawMetrics.start(config.build());
        WriterThread writer = influxd != null ? WriterThread.find() : null;
        LongAdder calls = new LongAdder();
        long[] callerCpu = new long[THREADS];
        long[] madeBeforeWindow = new long[THREADS];
        long start = System.nanoTime();
        long windowStart = start + Duration.ofSeconds(SETTLE_SECONDS).toNanos();
        long end = windowStart + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int index = t;
            Thread thread = new Thread(() -> {
                long cpuAtWindow = -1;
                double perNano = rate / (double) THREADS / 1e9;
                // Wake up about every 64 calls (0.2 to 20 ms): the loop's own wake-ups must not
                // cost more than the calls, recording off as on.
                long pause = Math.max(200_000, Math.min(20_000_000, (long) (64 / perNano)));
                long made = 0;
                for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                    if (cpuAtWindow < 0 && now >= windowStart) {
                        cpuAtWindow = THREAD_CPU.getCurrentThreadCpuTime();
                        madeBeforeWindow[index] = made;
                    }
                    long due = (long) ((now - start) * perNano);
                    while (made < due) {
                        TARGETS.functionCall((int) made);
                        made++;
                    }
                    LockSupport.parkNanos(pause); // a steady rate, not flat out: the calls of each pause come together
                }
                calls.add(made);
                callerCpu[index] = THREAD_CPU.getCurrentThreadCpuTime() - cpuAtWindow;
            }, "caller-" + t);
            threads.add(thread);
            thread.start();
        }
        LockSupport.parkNanos(windowStart - System.nanoTime()); // a benchmark's main thread, idle until the window opens
        long processBefore = PROCESS.getProcessCpuTime();
        long jitBefore = CompilerThreads.cpuNanos();
        long writerBefore = writer != null ? writer.cpuNanos() : 0;
        for (Thread thread : threads) {
            thread.join();
        }
        // What the calls cost the writer is done once their points are written: flush, then read.
        long writerCpu = 0;
        if (writer != null) {
            RawMetrics.flush(Duration.ofMinutes(2));
            writerCpu = writer.cpuNanos() - writerBefore;
        }
        long processCpu = PROCESS.getProcessCpuTime() - processBefore;
        long jitCpu = CompilerThreads.cpuNanos() - jitBefore;
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
        long inWindow = calls.sum();
        for (int t = 0; t < THREADS; t++) {
            callerTotal += callerCpu[t];
            inWindow -= madeBeforeWindow[t];
        }
        Run run = new Run(calls.sum(), inWindow, processCpu, callerTotal, writerCpu, jitCpu,
                processBefore - processAtStart, jitBefore - jitAtStart, stored);
        System.err.printf(Locale.ROOT, "%s %s %,d calls/s: first %d s %,.0f ms of CPU (JIT %,.0f ms); measured %d s: %,d calls, %,.0f ms (JIT %,.0f ms)%n",
                influxd == null ? "off" : "on", mode, rate, SETTLE_SECONDS, run.settleCpu / 1e6, run.settleJit / 1e6, seconds,
                run.measuredCalls, run.processCpu / 1e6, run.jitCpu / 1e6);
        return run;
    }
}

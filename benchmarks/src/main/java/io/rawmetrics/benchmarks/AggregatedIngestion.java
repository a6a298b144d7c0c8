package io.rawmetrics.benchmarks;

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
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregated mode at the highest call rate this machine reaches: threads calling a timed
 * method as fast as they can for a while, against a real influxd started here. Reports the calls
 * per second, the points written per interval (which must not grow with the rate), that
 * {@code sum(count)} and {@code sum(requests)} equal the calls made, and the writer thread's CPU
 * time per interval. Prints a Markdown table for docs/performance.md.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rawmetrics.benchmarks.AggregatedIngestion [seconds] [threads]
 * </pre>
 */
public final class AggregatedIngestion {

    private static final Targets TARGETS = new Targets();
    static volatile int sink;

    private AggregatedIngestion() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "aggregated")) {
            RawMetrics.start(RawMetricsConfig.builder().url(influxd.url().toString()).database("aggregated")
                    .mode(RawMetricsConfig.Mode.AGGREGATED).shutdownHook(false).build());
            TARGETS.noop(); // starts the writer, so its CPU time can be read from the start
            long calls = run(threads, seconds);
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long writerCpu = writerCpuNanos(mx);
            RawMetrics.stop(Duration.ofSeconds(30));

            Map<Long, Long> pointsPerInterval = new TreeMap<>();
            for (String measurement : List.of("request-metrics", "function-metrics")) {
                for (Map<String, Object> row : influx.select("SELECT * FROM \"" + measurement + "\"")) {
                    pointsPerInterval.merge(((Number) row.get("time")).longValue(), 1L, Long::sum);
                }
            }
            long counted = sum(influx, "SELECT sum(\"count\") FROM \"function-metrics\"");
            long requests = sum(influx, "SELECT sum(\"requests\") FROM \"request-metrics\"");
            int intervals = pointsPerInterval.size();
            System.out.printf(Locale.ROOT, "| threads | calls made | calls/s | sum(count) | sum(requests) | intervals written"
                    + " | points per interval (min-max) | writer CPU per interval |%n|---|---|---|---|---|---|---|---|%n");
            System.out.printf(Locale.ROOT, "| %d | %,d | %,.0f | %,d | %,d | %d | %d-%d | %.2f ms |%n", threads, calls,
                    calls / (double) seconds, counted, requests, intervals,
                    pointsPerInterval.values().stream().mapToLong(Long::longValue).min().orElse(0),
                    pointsPerInterval.values().stream().mapToLong(Long::longValue).max().orElse(0),
                    writerCpu / 1e6 / Math.max(1, intervals));
            if (counted != calls + 1 || requests != calls + 1) {
                throw new IllegalStateException("counts differ from the calls made (" + (calls + 1) + ")");
            }
        }
    }

    /** Each thread calls the timed method until the time is up; returns the calls made. */
    private static long run(int threads, int seconds) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long[] made = new long[threads];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            workers.add(new Thread(() -> {
                long n = 0;
                int x = 0;
                while (System.nanoTime() < until) {
                    for (int i = 0; i < 1000; i++) {
                        x += TARGETS.functionCallAggregated(x);
                    }
                    n += 1000;
                }
                made[index] = n;
                sink = x; // the results are used: nothing to optimize away
            }, "caller-" + t));
        }
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join();
        }
        long calls = 0;
        for (long n : made) {
            calls += n;
        }
        return calls;
    }

    private static long writerCpuNanos(ThreadMXBean mx) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("rawmetrics-writer")) {
                return mx.getThreadCpuTime(thread.getId());
            }
        }
        throw new IllegalStateException("no rawmetrics-writer thread");
    }

    private static long sum(PointsInInflux influx, String influxql) {
        List<Map<String, Object>> rows = influx.select(influxql);
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get("sum")).longValue();
    }
}

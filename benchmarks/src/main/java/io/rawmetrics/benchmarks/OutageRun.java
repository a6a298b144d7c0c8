package io.rawmetrics.benchmarks;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.internal.lifecycle.Lifecycle;
import io.rawmetrics.internal.writer.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 24's outage at full size, as a user's program meets it: timed calls at a steady rate, a
 * real influxd killed with SIGKILL and started again on its data, the spool on or off. Prints a
 * Markdown report for docs/reliability.md: calls made, points stored, what was lost, when the
 * writer wrote again after the restart, and, in the aggregated mode, the one-second intervals.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rawmetrics.benchmarks.OutageRun \
 *     [raw|aggregated] [spool|memory] [calls/s] [seconds] [kill at s] [restart at s]
 * </pre>
 * The defaults are the issue's: raw, spool, 5,000 calls/s for 150 s, killed at 20 s, back at 140 s.
 */
public final class OutageRun {

    private static final String FUNCTION = "io.rawmetrics.benchmarks.Targets.functionCall";

    private OutageRun() {
    }

    public static void main(String[] args) throws Exception {
        boolean aggregated = args.length > 0 && args[0].equals("aggregated");
        boolean spool = args.length <= 1 || args[1].equals("spool");
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 150;
        int killAt = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        int restartAt = args.length > 5 ? Integer.parseInt(args[5]) : 140;

        Path work = Files.createTempDirectory("outage-run");
        Path data = work.resolve("influxd");
        int port = InfluxdProcess.freePort();
        InfluxdProcess influxd = InfluxdProcess.startIn(data, port);
        RawMetricsConfig.Builder config = RawMetricsConfig.builder().url(influxd.url().toString()).database("outage")
                .mode(aggregated ? RawMetricsConfig.Mode.AGGREGATED : RawMetricsConfig.Mode.RAW);
        if (spool) {
            config.spoolDirectory(work.resolve("spool"));
        }
        RawMetrics.start(config.build());
        Pipeline pipeline = Lifecycle.pipeline();

        Targets targets = new Targets();
        long start = System.nanoTime();
        long made = 0;
        long restartedNanos = 0;
        long deliveredAtRestart = 0;
        long writingAgainNanos = -1;
        long inSpoolAtRestart = 0;
        long spoolEmptyNanos = -1;
        long maxInSpool = 0;
        boolean killed = false;
        while (true) {
            long elapsed = System.nanoTime() - start;
            if (elapsed >= Duration.ofSeconds(seconds).toNanos()) {
                break;
            }
            if (!killed && elapsed >= Duration.ofSeconds(killAt).toNanos()) {
                influxd.kill();
                killed = true;
            }
            if (restartedNanos == 0 && elapsed >= Duration.ofSeconds(restartAt).toNanos()) {
                deliveredAtRestart = pipeline.delivered() + pipeline.aggregatedDelivered();
                inSpoolAtRestart = pipeline.inSpool();
                influxd = InfluxdProcess.startIn(data, port);
                restartedNanos = System.nanoTime();
            }
            if (restartedNanos != 0 && writingAgainNanos < 0
                    && pipeline.delivered() + pipeline.aggregatedDelivered() > deliveredAtRestart) {
                writingAgainNanos = System.nanoTime() - restartedNanos; // the writer's first write after the restart
            }
            long due = elapsed * rate / 1_000_000_000L;
            for (; made < due; made++) {
                targets.functionCall((int) made);
            }
            maxInSpool = Math.max(maxInSpool, pipeline.inSpool());
            if (restartedNanos != 0 && spoolEmptyNanos < 0 && inSpoolAtRestart > 0 && pipeline.inSpool() == 0) {
                spoolEmptyNanos = System.nanoTime() - restartedNanos;
            }
            LockSupport.parkNanos(1_000_000);
        }
        long calls = made;
        RawMetrics.stop(Duration.ofSeconds(60));
        RawMetrics.Stats stats = RawMetrics.stats();

        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "| %s, %s: %,d calls/s for %d s, influxd killed (SIGKILL) at %d s, back at %d s |%n",
                aggregated ? "aggregated" : "raw", spool ? "spool on" : "memory only", rate, seconds, killAt, restartAt));
        report.append(String.format(Locale.ROOT, "| calls made | %,d |%n", calls));
        try (PointsInInflux points = new PointsInInflux(influxd, "outage")) {
            if (aggregated) {
                List<Map<String, Object>> intervals = points.select("SELECT \"count\" FROM \"function-metrics\" WHERE \"function\" = '"
                        + FUNCTION + "'");
                long sum = intervals.stream().mapToLong(row -> ((Number) row.get("count")).longValue()).sum();
                long longestGapNanos = 0;
                for (int i = 1; i < intervals.size(); i++) {
                    long gap = ((Number) intervals.get(i).get("time")).longValue() - ((Number) intervals.get(i - 1).get("time")).longValue();
                    longestGapNanos = Math.max(longestGapNanos, gap);
                }
                report.append(String.format(Locale.ROOT, "| function-metrics points (intervals) | %,d, summing to %,d calls; longest time between two: %d ms |%n",
                        intervals.size(), sum, longestGapNanos / 1_000_000));
                StringBuilder all = new StringBuilder();
                long firstTime = intervals.isEmpty() ? 0 : ((Number) intervals.get(0).get("time")).longValue();
                for (Map<String, Object> row : intervals) {
                    all.append(String.format(Locale.ROOT, " %.1f:%d", (((Number) row.get("time")).longValue() - firstTime) / 1e9,
                            ((Number) row.get("count")).longValue()));
                }
                report.append("| every interval, seconds after the first: count |").append(all).append(" |\n");
            } else {
                long stored = points.count("SELECT count(application_time) FROM \"raw-requests\" WHERE \"function\" = '" + FUNCTION + "'");
                report.append(String.format(Locale.ROOT, "| points in InfluxDB | %,d |%n", stored));
            }
        }
        report.append(String.format(Locale.ROOT, "| RawMetrics.stats() | recorded %,d, delivered %,d, dropped %,d, buffered %,d; aggregated %,d, in delivered points %,d |%n",
                stats.recorded(), stats.delivered(), stats.dropped(), stats.buffered(), stats.aggregated(), stats.aggregatedDelivered()));
        report.append(String.format(Locale.ROOT, "| most points in the spool at once | %,d |%n", maxInSpool));
        report.append(String.format(Locale.ROOT, "| first write after the restart | %s |%n",
                writingAgainNanos < 0 ? "none before the run ended" : String.format(Locale.ROOT, "%.1f s after influxd was back",
                        writingAgainNanos / 1e9)));
        if (spoolEmptyNanos > 0) {
            report.append(String.format(Locale.ROOT, "| the spool delivered | %,d points in %.1f s after influxd was back, new calls flowing meanwhile |%n",
                    inSpoolAtRestart, spoolEmptyNanos / 1e9));
        }
        System.out.print(report);
        influxd.close();
    }
}

package io.rawmetrics.benchmarks;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * End to end against a real influxd started here: the server's raw ceiling, rawmetrics offered
 * more than that, rawmetrics offered half of it (with the writer thread's CPU time per point
 * delivered in each), and the heap a buffered point takes. Prints a Markdown report for
 * docs/performance.md.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rawmetrics.benchmarks.EndToEndIngestion [seconds] [half-seconds]
 * </pre>
 */
public final class EndToEndIngestion {

    private static final int BATCH = 5000;
    private static final Targets TARGETS = new Targets();

    private EndToEndIngestion() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int halfSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        StringBuilder report = new StringBuilder();

        double bytesPerPoint = bufferFootprint(1_000_000);
        report.append(String.format(Locale.ROOT, "| heap per buffered point (1,000,000 buffered, InfluxDB unreachable) | %.1f bytes |%n",
                bytesPerPoint));

        try (InfluxdProcess influxd = InfluxdProcess.startTemporary()) {
            double ceiling = rawCeiling(influxd, seconds);
            report.append(String.format(Locale.ROOT, "| raw ceiling: one plain HTTP client POSTing %d-line batches | %,.0f points/s |%n",
                    BATCH, ceiling));

            Run over = offer(influxd, "overload", 2 * ceiling, seconds, 1_000_000);
            report.append(String.format(Locale.ROOT, "| rawmetrics offered %,.0f calls/s (2 x ceiling) for %d s | recorded %,d, delivered %,d"
                            + " (%,.0f points/s while offered = %.2f x ceiling), dropped %,d, in InfluxDB %,d, recorded = delivered + dropped: %s |%n",
                    2 * ceiling, seconds, over.recorded, over.delivered, over.deliveredPerSecondWhileOffered,
                    over.deliveredPerSecondWhileOffered / ceiling, over.dropped, over.inInflux,
                    over.recorded == over.delivered + over.dropped));
            report.append(String.format(Locale.ROOT, "| same run: writer thread CPU per point delivered | %s |%n", over.writerCpu));

            Run half = offer(influxd, "half", ceiling / 2, halfSeconds, 100_000);
            report.append(String.format(Locale.ROOT, "| rawmetrics offered %,.0f calls/s (ceiling / 2) for %d s | recorded %,d, delivered %,d,"
                            + " dropped %,d, in InfluxDB %,d |%n",
                    ceiling / 2, halfSeconds, half.recorded, half.delivered, half.dropped, half.inInflux));
            report.append(String.format(Locale.ROOT, "| same run: writer thread CPU per point delivered | %s |%n", half.writerCpu));
        }
        System.out.println();
        System.out.println("| figure | measured |");
        System.out.println("|---|---|");
        System.out.print(report);
    }

    /** Heap taken per buffered call: fill the buffer while nothing can be written, compare heap after GC. */
    static double bufferFootprint(int points) {
        RawMetrics.start(RawMetricsConfig.builder().url("http://127.0.0.1:" + InfluxdProcess.freePort())
                .bufferCapacity(points).createDatabase(false).shutdownHook(false).build());
        TARGETS.noop(); // the recorder, its thread and the first chunk exist before measuring
        long before = usedHeapAfterGc();
        for (int i = 1; i < points; i++) {
            TARGETS.noop();
        }
        long after = usedHeapAfterGc();
        RawMetrics.stop(Duration.ZERO);
        return (double) (after - before) / (points - 1);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * What the server takes from one plain client: line protocol like rawmetrics', encoded ahead by
     * another thread, POSTed batch after batch for {@code seconds}.
     */
    static double rawCeiling(InfluxdProcess influxd, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(influxd.url().resolve("/query?q=CREATE+DATABASE+ceiling"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        BlockingQueue<byte[]> batches = new ArrayBlockingQueue<>(4);
        AtomicBoolean done = new AtomicBoolean();
        Thread encoder = new Thread(() -> {
            long timestamp = System.currentTimeMillis() * 1_000_000;
            String prefix = "raw-requests,function=io.rawmetrics.benchmarks.Targets.noop,hostname=bench,outcome=ok,"
                    + "process=bench:1 application_time=0.000000";
            StringBuilder batch = new StringBuilder(BATCH * 130);
            try {
                while (!done.get()) {
                    batch.setLength(0);
                    for (int i = 0; i < BATCH; i++) {
                        batch.append(prefix).append(100 + i % 900).append(' ').append(timestamp++).append('\n');
                    }
                    batches.put(batch.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ceiling-encoder");
        encoder.start();
        URI write = influxd.url().resolve("/write?db=ceiling&precision=ns");
        long points = 0;
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end) {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(write)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(batches.take())).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 204) {
                throw new IllegalStateException("write answered " + response.statusCode());
            }
            points += BATCH;
        }
        double perSecond = points / ((System.nanoTime() - start) / 1e9);
        done.set(true);
        encoder.interrupt();
        return perSecond;
    }

    /**
     * Calls the timed no-op at {@code rate} calls per second for {@code seconds}, in bursts every
     * 0.2 ms, so that the caller leaves the CPU to the server between them (this machine has 2
     * cores); returns the calls made.
     */
    static long pace(double rate, int seconds) {
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        double nanosPerCall = 1e9 / rate;
        long calls = 0;
        for (long now = start; now < end; now = System.nanoTime()) {
            long due = (long) ((now - start) / nanosPerCall);
            for (; calls < due; calls++) {
                TARGETS.noop();
            }
            LockSupport.parkNanos(200_000);
        }
        return calls;
    }

    /** What one run of {@link #offer} measured. */
    record Run(long recorded, long delivered, long dropped, long inInflux, double deliveredPerSecondWhileOffered,
            WriterCpu writerCpu) {
    }

    /**
     * The writer thread's CPU time per point it delivered while the calls were offered: encoding,
     * copying, compressing if on, sending (the kernel's share included: on loopback it does both
     * ends' TCP work on the sender's thread).
     */
    record WriterCpu(double nanosPerPoint, double kernelShare) {
        static final WriterCpu UNKNOWN = new WriterCpu(Double.NaN, Double.NaN);

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0f ns (%.0f %% in the kernel)", nanosPerPoint, 100 * kernelShare);
        }
    }

    /**
     * One thread calls the timed no-op at {@code rate} calls per second for {@code seconds} (paced in
     * bursts every 0.2 ms, so the caller leaves the CPU to influxd: this machine has 2 cores), then
     * stops the recorder and counts.
     */
    static Run offer(InfluxdProcess influxd, String database, double rate, int seconds, int capacity) throws Exception {
        RawMetrics.start(RawMetricsConfig.builder().url(influxd.url().toString()).database(database)
                .batchSize(BATCH).bufferCapacity(capacity).shutdownHook(false).build());
        TARGETS.noop(); // starts the recorder; counted below
        LongAdder recorded = new LongAdder();
        recorded.increment();
        WriterThread writer = WriterThread.find();
        long deliveredBefore = RawMetrics.stats().delivered();
        long cpuBefore = writer.cpuNanos();
        long userBefore = writer.userNanos();
        long start = System.nanoTime();
        recorded.add(pace(rate, seconds));
        double elapsed = (System.nanoTime() - start) / 1e9;
        long deliveredWhileOffered = RawMetrics.stats().delivered() - deliveredBefore;
        long cpu = writer.cpuNanos() - cpuBefore;
        long user = writer.userNanos() - userBefore;
        WriterCpu writerCpu = cpuBefore < 0 || deliveredWhileOffered == 0 ? WriterCpu.UNKNOWN
                : new WriterCpu((double) cpu / deliveredWhileOffered, (double) (cpu - user) / cpu);
        RawMetrics.stop(Duration.ofMinutes(2));
        RawMetrics.Stats stats = RawMetrics.stats();
        long inInflux;
        try (PointsInInflux points = new PointsInInflux(influxd, database)) {
            inInflux = points.count("SELECT count(application_time) FROM \"raw-requests\"");
        }
        return new Run(recorded.sum(), stats.delivered(), stats.dropped(), inInflux, deliveredWhileOffered / elapsed, writerCpu);
    }

}

package io.rawmetrics.benchmarks;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.RawMetricsConfig.WriteApi;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.VictoriaMetricsProcess;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * One JVM writing to each engine this machine has, side by side in one run: InfluxDB 1.6 through
 * /write, VictoriaMetrics through /write and /api/v2/write, each with and without gzip. For each:
 * the single node's ceiling (one plain client POSTing pre-encoded 5,000-line batches, as fast as it
 * answers), what rawmetrics delivers when offered twice that, and the writer thread's CPU time per
 * point delivered, with the share of it spent in the kernel (system time: on loopback, the
 * kernel's TCP work for both ends of the connection is largely the sender's). Also the bytes per point on the wire, plain and gzipped. Prints Markdown for
 * docs/deployment.md and docs/performance.md.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rawmetrics.benchmarks.EngineIngestion [seconds]
 * </pre>
 */
public final class EngineIngestion {

    private static final int BATCH = 5000;
    private static final Targets TARGETS = new Targets();
    private static final String LINE = "raw-requests,function=io.rawmetrics.benchmarks.Targets.noop,hostname=bench,"
            + "outcome=ok,process=bench:1 application_time=0.000000";

    private EngineIngestion() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        byte[] batch = batch(System.currentTimeMillis() * 1_000_000);
        System.out.printf(Locale.ROOT, "bytes per point on the wire: %.1f plain, %.1f gzipped%n%n",
                (double) batch.length / BATCH, (double) gzip(batch).length / BATCH);
        System.out.println("| engine, API | node ceiling (plain client) | rawmetrics delivered, offered 2 x ceiling | writer CPU per point |");
        System.out.println("|---|---|---|---|");
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary()) {
            URI write = influxd.url().resolve("/write?db=ceiling&precision=ns");
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(influxd.url().resolve("/query?q=CREATE+DATABASE+ceiling"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            double ceiling = ceiling(write, seconds);
            for (boolean gzip : new boolean[] {false, true}) {
                row("InfluxDB 1.6, v1" + (gzip ? ", gzip" : ""), ceiling, RawMetricsConfig.builder()
                        .url(influxd.url().toString()).database("bench" + gzip).gzip(gzip), seconds);
            }
        }
        try (VictoriaMetricsProcess vm = VictoriaMetricsProcess.startTemporary()) {
            double ceiling = ceiling(vm.url().resolve("/write?db=ceiling&precision=ns"), seconds);
            for (WriteApi api : WriteApi.values()) {
                for (boolean gzip : new boolean[] {false, true}) {
                    RawMetricsConfig.Builder config = RawMetricsConfig.builder().url(vm.url().toString())
                            .createDatabase(false).api(api).gzip(gzip);
                    if (api == WriteApi.V2) {
                        config.orgAndBucket("bench", "bench").token("t");
                    }
                    row("VictoriaMetrics 1.79, " + api.name().toLowerCase(Locale.ROOT) + (gzip ? ", gzip" : ""),
                            ceiling, config, seconds);
                }
            }
        }
    }

    private static void row(String engine, double ceiling, RawMetricsConfig.Builder config, int seconds) throws Exception {
        double[] delivered = offer(config, 2 * ceiling, seconds);
        System.out.printf(Locale.ROOT, "| %s | %,.0f points/s | %,.0f points/s (%.2f x ceiling) | %.0f ns (%.0f%% in the kernel) |%n",
                engine, ceiling, delivered[0], delivered[0] / ceiling, delivered[1], 100 * delivered[2]);
    }

    /** One plain client, pre-encoded batches, one request after the other, for {@code seconds}. */
    static double ceiling(URI write, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long points = 0;
        long timestamp = System.currentTimeMillis() * 1_000_000;
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end) {
            byte[] body = batch(timestamp);
            timestamp += BATCH;
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(write)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 204) {
                throw new IllegalStateException(write + " answered " + response.statusCode());
            }
            points += BATCH;
        }
        return points / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * One thread calls the timed no-op at {@code rate} for {@code seconds} ({@link EndToEndIngestion#pace}); returns
     * the points delivered per second while offered, and the writer's CPU nanoseconds per point.
     */
    static double[] offer(RawMetricsConfig.Builder config, double rate, int seconds) {
        RawMetrics.start(config.batchSize(BATCH).bufferCapacity(1_000_000).shutdownHook(false).build());
        TARGETS.noop();
        WriterThread writer = WriterThread.find();
        long cpuBefore = writer.cpuNanos();
        long userBefore = writer.userNanos();
        long deliveredBefore = RawMetrics.stats().delivered();
        long start = System.nanoTime();
        EndToEndIngestion.pace(rate, seconds);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long delivered = RawMetrics.stats().delivered() - deliveredBefore;
        long cpu = writer.cpuNanos() - cpuBefore;
        long user = writer.userNanos() - userBefore;
        RawMetrics.stop(Duration.ofMinutes(2));
        return new double[] {delivered / elapsed, (double) cpu / Math.max(1, delivered), (double) (cpu - user) / Math.max(1, cpu)};
    }

    private static byte[] batch(long firstTimestamp) {
        StringBuilder batch = new StringBuilder(BATCH * 140);
        for (int i = 0; i < BATCH; i++) {
            batch.append(LINE).append(100 + i % 900).append(' ').append(firstTimestamp + i).append('\n');
        }
        return batch.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}

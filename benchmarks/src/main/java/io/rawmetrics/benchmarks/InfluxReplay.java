package io.rawmetrics.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Feeds an InfluxDB the demo's points without the demo: pre-encoded batches of 5000 lines of the
 * demo's schema, POSTed at a fixed rate by a plain HTTP client. demo-overhead.sh runs it beside the
 * demo with metrics off, at the rate the metrics-on round wrote, to measure what InfluxDB's own
 * ingestion takes from the application on a machine they share, with next to nothing of the
 * library's work.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.rawmetrics.benchmarks.InfluxReplay URL DATABASE POINTS_PER_SECOND SECONDS</pre>
 */
public final class InfluxReplay {

    private static final int BATCH = 5000;
    private static final int DISTINCT_BATCHES = 20;

    private InfluxReplay() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: InfluxReplay URL DATABASE POINTS_PER_SECOND SECONDS");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        String database = args[1];
        double pointsPerSecond = Double.parseDouble(args[2]);
        long seconds = Long.parseLong(args[3]);

        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(url.resolve("/query?q=CREATE+DATABASE+" + database))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        List<byte[]> batches = encode();
        HttpRequest.Builder write = HttpRequest.newBuilder(url.resolve("/write?db=" + database + "&precision=ns"));

        long interval = (long) (BATCH * 1e9 / pointsPerSecond);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long sent = 0;
        for (long next = start; next < end; next += interval) {
            LockSupport.parkNanos(next - System.nanoTime()); // paced: a batch every interval
            HttpResponse<String> answer = http.send(write.POST(HttpRequest.BodyPublishers.ofByteArray(
                    batches.get((int) (sent / BATCH % DISTINCT_BATCHES)))).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 204) {
                throw new IllegalStateException("InfluxDB answered " + answer.statusCode() + ": " + answer.body());
            }
            sent += BATCH;
        }
        System.out.printf("replayed %,d points in %.1f s%n", sent, (System.nanoTime() - start) / 1e9);
    }

    /** Distinct points (each its own timestamp), in the schema and about the size of the demo's. */
    private static List<byte[]> encode() {
        String prefix = "raw-requests,function=io.rawmetrics.demo.HelloWorld1.application,hostname=replay,outcome=ok,"
                + "process=replay:1 application_time=0.0000";
        long timestamp = System.currentTimeMillis() * 1_000_000L;
        List<byte[]> batches = new ArrayList<>();
        for (int b = 0; b < DISTINCT_BATCHES; b++) {
            StringBuilder batch = new StringBuilder(BATCH * 140);
            for (int i = 0; i < BATCH; i++) {
                batch.append(prefix).append(10 + i % 90).append(' ').append(timestamp++).append('\n');
            }
            batches.add(batch.toString().getBytes(StandardCharsets.UTF_8));
        }
        return batches;
    }
}

package io.rawmetrics.benchmarks;

import io.rawmetrics.internal.spool.Spool;
import io.rawmetrics.internal.spool.SpoolReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How fast the spool takes batches and gives them back, on this machine's disk, without a
 * network: batches of 5,000 points as the encoder makes them (about 150 bytes a point), appended,
 * then read back and marked delivered. Prints Markdown rows for docs/performance.md.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rawmetrics.benchmarks.SpoolThroughput [batches]
 * </pre>
 */
public final class SpoolThroughput {

    private static final int POINTS = 5_000;

    private SpoolThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < POINTS; i++) {
            lines.append("raw-requests,function=com.example.Shop.checkout,hostname=web-1,outcome=ok,process=web-1:4242")
                    .append(" application_time=0.000").append(100_000 + i).append(' ').append(1_764_000_000_000_000_000L + i)
                    .append('\n');
        }
        byte[] batch = lines.toString().getBytes(StandardCharsets.UTF_8);
        Path directory = Files.createTempDirectory("spool-throughput");
        for (int round = 1; round <= 3; round++) {
            Spool spool = new Spool(directory, Long.MAX_VALUE);
            long start = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                if (!spool.append(batch, 0, batch.length, POINTS)) {
                    throw new IllegalStateException("the spool refused a batch");
                }
            }
            spool.closeWriting();
            long written = System.nanoTime() - start;
            long bytes = spool.bytes();

            start = System.nanoTime();
            long points = 0;
            for (SpoolReader.Record record = spool.next(); record != null; record = spool.next()) {
                points += record.points();
                spool.done(record, record.points());
            }
            long read = System.nanoTime() - start;
            spool.close();
            if (points != (long) batches * POINTS) {
                throw new IllegalStateException("read back " + points + " points");
            }
            System.out.printf(Locale.ROOT, "| round %d: %,d batches of %,d points (%,d MB) | written %,.0f points/s (%,.0f MB/s);"
                            + " read back and marked delivered %,.0f points/s (%,.0f MB/s) |%n",
                    round, batches, POINTS, bytes / 1_000_000, points / (written / 1e9), bytes / 1e6 / (written / 1e9),
                    points / (read / 1e9), bytes / 1e6 / (read / 1e9));
        }
        try (Stream<Path> files = Files.list(directory)) {
            if (files.findAny().isPresent()) {
                throw new IllegalStateException("files left in " + directory);
            }
        }
        Files.delete(directory);
    }
}

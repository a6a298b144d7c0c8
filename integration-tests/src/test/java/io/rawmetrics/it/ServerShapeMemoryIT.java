package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.it.fixtures.ServerShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The memory the aggregated mode holds in a server-shaped program (200 long-lived request threads,
 * 11 timed functions, 1,000 calls of each per thread, a short pause between a thread's requests so
 * that the writer thread gets the CPU it needs): at most 32 KiB per thread beyond what the
 * same program holds with recording disabled, measured as the heap in use after full GCs, each
 * mode in a JVM of its own. docs/configuration.md states the bound.
 */
class ServerShapeMemoryIT {

    private static final int THREADS = 200;
    private static final int CALLS = 1_000;
    private static final long BOUND_PER_THREAD = 32 * 1024;
    private static final Pattern HEAP = Pattern.compile("heap used after GC: (\\d+) bytes");

    @Test
    void theAggregatedModeHoldsAtMost32KibPerThreadBeyondRecordingOff() throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary()) {
            long off = heapUsed(influxd, "-Drawmetrics.enabled=false", "paced");
            String aggregatedOut = run(influxd, "-Drawmetrics.mode=aggregated", "paced");
            long aggregated = heap(aggregatedOut);
            long calls = (long) THREADS * CALLS * 11;
            assertTrue(aggregatedOut.contains("aggregated=" + calls + ", aggregatedDelivered=" + calls + ", tags="), aggregatedOut);
            // For docs/configuration.md, not bounded here: raw mode, and all threads flat out, which
            // keeps the writer from the CPU until they are done, so that the buffer fills.
            long raw = heapUsed(influxd, "-Drawmetrics.mode=raw", "paced");
            long aggregatedFlatOut = heapUsed(influxd, "-Drawmetrics.mode=aggregated", "flat-out");
            long perThread = (aggregated - off) / THREADS;
            System.out.println("server shape, heap after GC: off " + off + " B, raw " + raw + " B, aggregated " + aggregated
                    + " B (flat out: " + aggregatedFlatOut + " B): " + perThread + " B per thread beyond off");
            assertTrue(perThread <= BOUND_PER_THREAD, "aggregated mode: " + perThread + " bytes per thread beyond off (off "
                    + off + " B, aggregated " + aggregated + " B), more than " + BOUND_PER_THREAD);
        }
    }

    private static long heapUsed(InfluxdProcess influxd, String mode, String pace) throws Exception {
        return heap(run(influxd, mode, pace));
    }

    private static String run(InfluxdProcess influxd, String mode, String pace) throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx256m", mode,
                "-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=server_shape"));
        return ExampleProjects.runJava(Path.of("."), Path.of("target", "classes"), jvm, ServerShape.class.getName(),
                String.valueOf(THREADS), String.valueOf(CALLS), pace);
    }

    private static long heap(String out) {
        Matcher m = HEAP.matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }
}

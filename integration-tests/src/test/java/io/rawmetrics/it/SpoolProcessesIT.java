package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool across processes: a JVM that put its points aside during an outage is killed with
 * SIGKILL, and the next JVM started with the same spool directory delivers them once InfluxDB is
 * back, saying how many, each with the first process's own tag and timestamp.
 */
class SpoolProcessesIT {

    private static final String FUNCTION = "io.rawmetrics.it.fixtures.MethodKinds.concurrentCall";
    private static final Pattern DELIVERED = Pattern.compile("delivered (\\d+) points that an earlier process left in the spool");

    @TempDir
    Path work;

    private Process start(String name, String url, int calls) throws IOException {
        return new ProcessBuilder(command(url, calls)).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile()).start();
    }

    private List<String> command(String url, int calls) {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drawmetrics.influxdb.url=" + url, "-Drawmetrics.influxdb.database=spooled",
                "-Drawmetrics.spool-directory=" + work.resolve("spool"), "-Drawmetrics.buffer-capacity=10000",
                "-Drawmetrics.batch-size=500", "-Drawmetrics.flush-interval=20ms", "-Drawmetrics.retry-max-interval=500ms",
                "-cp", System.getProperty("java.class.path"), RecordingProcess.class.getName(), String.valueOf(calls), "wait"));
    }

    private String output(String name) throws IOException {
        return Files.readString(work.resolve(name + ".log"), StandardCharsets.UTF_8);
    }

    private long spoolBytes() throws IOException {
        Path spool = work.resolve("spool");
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(spool)) {
            long bytes = 0;
            for (Path file : files.filter(f -> f.toString().endsWith(".spool")).toList()) {
                try {
                    bytes += Files.size(file);
                } catch (NoSuchFileException delivered) {
                    // the process that reads the spool deleted it between the listing and now
                }
            }
            return bytes;
        }
    }

    @Test
    void pointsAKilledProcessPutAsideAreDeliveredByTheNextOneWithTheSameDirectory() throws Exception {
        int port = InfluxdProcess.freePort();
        Path data = work.resolve("influxd");
        InfluxdProcess influxd = InfluxdProcess.startIn(data, port);
        String url = influxd.url().toString();
        influxd.kill(); // down before the first process writes anything

        Process first = start("first", url, 20_000);
        assertTrue(Await.until(Duration.ofSeconds(60), () -> output("first").contains("recorded 20000")), output("first"));
        // The writer puts the batches aside as fast as it encodes them: wait until the spool stops growing.
        long[] last = {-1};
        assertTrue(Await.until(Duration.ofSeconds(60), () -> {
            long now = spoolBytes();
            boolean stable = now > 0 && now == last[0];
            last[0] = now;
            return stable;
        }), "the spool holds the first process's points");
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no stop
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));

        try (InfluxdProcess restarted = InfluxdProcess.startIn(data, port);
             PointsInInflux points = new PointsInInflux(restarted, "spooled")) {
            Process second = start("second", url, 1);
            try {
                assertTrue(Await.until(Duration.ofSeconds(60), () -> spoolBytes() == 0), "the spool emptied:\n" + output("second"));
                assertTrue(Await.until(Duration.ofSeconds(10), () -> DELIVERED.matcher(output("second")).find()), output("second"));
                long reported = 0;
                Matcher m = DELIVERED.matcher(output("second"));
                while (m.find()) {
                    reported += Long.parseLong(m.group(1));
                }
                String ofFirst = "SELECT count(application_time) FROM \"raw-requests\" WHERE \"function\" = '" + FUNCTION
                        + "' AND \"process\" =~ /:" + first.pid() + "$/";

                // The 20,000 calls come in one burst, faster than the writer notices the outage: the
                // memory buffer (10,000) keeps half of them, then the spool takes what it holds.
                System.out.println("the second process delivered " + reported + " points the first put aside:\n" + output("second"));
                assertTrue(reported >= 9_000, "the memory buffer's worth reached the spool: " + reported);
                assertEquals(reported, points.count(ofFirst), "each point the second process reports, stored once, with the first's tag");
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A disk that fills during the run: the process may not grow a file past 512 KiB (RLIMIT_FSIZE,
     * as {@code ulimit -f}; the JVM then gets "File too large" where a full disk gives "No space
     * left on device", through the same write). The spool says so, naming its directory, and the
     * program's calls never wait for it.
     */
    @Test
    void aSpoolThatCannotBeWrittenAnyMoreIsAWarningAndTheCallsGoOn() throws Exception {
        int port = InfluxdProcess.freePort();
        String url = "http://127.0.0.1:" + port; // nothing listens: an outage from the start
        List<String> java = command(url, 20_000);
        String shell = "ulimit -f 512 && exec " + String.join(" ", java.stream().map(a -> "'" + a + "'").toList());
        Process program = new ProcessBuilder("bash", "-c", shell).redirectErrorStream(true)
                .redirectOutput(work.resolve("full.log").toFile()).start();
        try {
            assertTrue(Await.until(Duration.ofSeconds(60), () -> output("full").contains("cannot write to the spool directory "
                    + work.resolve("spool"))), output("full"));
            assertTrue(Await.until(Duration.ofSeconds(60), () -> output("full").contains("recorded 20000")), output("full"));
            assertTrue(output("full").contains("File too large"), output("full"));
            assertTrue(program.isAlive(), "the program goes on:\n" + output("full"));
        } finally {
            program.destroy();
            program.waitFor(30, TimeUnit.SECONDS);
        }
    }
}

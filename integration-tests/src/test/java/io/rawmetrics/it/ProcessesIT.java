package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole JVMs recording into one real InfluxDB: several at once, and stopped by a signal. */
class ProcessesIT {

    private static final String FUNCTION = "io.rawmetrics.it.fixtures.MethodKinds.concurrentCall";

    @TempDir
    Path work;

    private Process start(String name, String url, String database, List<String> extra, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drawmetrics.influxdb.url=" + url, "-Drawmetrics.influxdb.database=" + database));
        command.addAll(extra);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RecordingProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile()).start();
    }

    private String output(String name) throws IOException {
        return Files.readString(work.resolve(name + ".log"), StandardCharsets.UTF_8);
    }

    private void awaitOutput(String name, String text, Process process) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!output(name).contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not print '" + text + "':\n" + output(name));
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // poll the log again, until the deadline
        }
    }

    /**
     * An application without {@code opentelemetry-api} (this module's class path has none, as
     * most users' have none): the trace-id support loads nothing of it, and no point has ids.
     */
    @Test
    void withoutTheOpenTelemetryApiNothingOfItIsLoadedAndNoPointCarriesIds() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.opentelemetry.api.trace.Span"),
                "this test needs a class path without the API");
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux points = new PointsInInflux(influxd, "no_api")) {
            Process process = start("no-api", influxd.url().toString(), "no_api", List.of("-Xlog:class+load=info"), "1000");
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "exits");
            String out = output("no-api");
            assertEquals(0, process.exitValue(), out);
            assertTrue(out.contains("io.rawmetrics.internal.trace.Spans "), "the class that asks whether the API is there:\n" + out);
            List<String> loaded = out.lines().filter(line -> line.contains("io.opentelemetry.")
                    || line.contains("io.rawmetrics.internal.trace.OpenTelemetrySpans")).toList();
            assertEquals(List.of(), loaded, "nothing of the API, nor the class that reads it");
            assertEquals(1000, points.count("SELECT count(application_time) FROM \"raw-requests\""));
            assertEquals(List.of(), points.select("SHOW FIELD KEYS FROM \"raw-requests\"").stream()
                    .map(row -> row.get("fieldKey")).filter(key -> !"application_time".equals(key)).toList());
        }
    }

    @Test
    void threeJvmsWritingAtOnceEachHaveExactlyTheirPoints() throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux points = new PointsInInflux(influxd, "processes")) {
            int[] calls = {30_000, 20_000, 10_000};
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < calls.length; i++) {
                processes.add(start("p" + i, influxd.url().toString(), "processes", List.of(), String.valueOf(calls[i])));
            }
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < calls.length; i++) {
                assertTrue(processes.get(i).waitFor(120, TimeUnit.SECONDS), "p" + i + " exits");
                assertEquals(0, processes.get(i).exitValue(), output("p" + i));
                pids.add(processes.get(i).pid());
            }

            for (int i = 0; i < calls.length; i++) {
                List<Map<String, Object>> rows = points.select("SELECT count(application_time) FROM \"raw-requests\""
                        + " WHERE \"function\" = '" + FUNCTION + "' AND \"process\" =~ /:" + pids.get(i) + "$/");
                assertEquals(calls[i], ((Number) rows.get(0).get("count")).longValue(), "points of process " + pids.get(i));
            }
        }
    }

    @Test
    void sigtermWritesThePendingPointsBeforeTheJvmExits() throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux points = new PointsInInflux(influxd, "sigterm")) {
            // An hour between flushes: only the shutdown hook can write these points.
            Process process = start("term", influxd.url().toString(), "sigterm",
                    List.of("-Drawmetrics.flush-interval=1h"), "12345", "wait");
            awaitOutput("term", "recorded 12345", process);

            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(12345, points.count("SELECT count(application_time) FROM \"raw-requests\""));
        }
    }

    @Test
    void withInfluxDbUnreachableTheJvmStillExitsWithinTheShutdownTimeout() throws Exception {
        Process process = start("unreachable", "http://127.0.0.1:" + InfluxdProcess.freePort(), "nowhere",
                List.of("-Drawmetrics.shutdown-timeout=2s"), "1000", "wait");
        awaitOutput("unreachable", "recorded 1000", process);

        long start = System.nanoTime();
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the JVM exits");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue(seconds < 6, "exited " + seconds + " s after SIGTERM, with a 2 s shutdown timeout");
    }
}

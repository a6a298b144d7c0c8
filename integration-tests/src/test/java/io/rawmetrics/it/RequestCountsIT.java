package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig.Mode;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 37: a program under continuous load, 8 threads making requests of one outer and three
 * nested timed calls (each a 0.7 ms wait: a thread is inside a request two thirds of its time), summed more requests in {@code request-metrics} than it made outermost
 * calls (150,010 for 149,999), while every function's count was exact. Here the program (a JVM of
 * its own, rawmetrics started by its first call) runs a few times for a few seconds, each ending
 * at another moment, and every run's requests and calls are counted in influxd.
 */
class RequestCountsIT {

    private static final int RUNS = 3;
    private static final Pattern REQUESTS = Pattern.compile("(?m)^requests (\\d+)$");

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"AGGREGATED", "BOTH"})
    void everyOutermostCallIsOneRequestUnderContinuousLoad(Mode mode, @TempDir Path work) throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary()) {
            for (int run = 1; run <= RUNS; run++) {
                String database = "requests_" + mode.name().toLowerCase(Locale.ROOT) + "_" + run;
                long requests = runProgram(work, influxd, database, mode, 1_000L * run + 300);
                try (PointsInInflux points = new PointsInInflux(influxd, database)) {
                    long counted = points.count("SELECT sum(requests) AS \"count\" FROM \"request-metrics\"");
                    long calls = points.count("SELECT sum(\"count\") AS \"count\" FROM \"function-metrics\"");
                    int thisRun = run;
                    assertEquals(4 * requests, calls, () -> "run " + thisRun + ": every call counted once");
                    assertEquals(requests, counted, () -> "run " + thisRun + ": every outermost call is one request");
                    if (mode == Mode.BOTH) {
                        assertEquals(4 * requests, points.count("SELECT count(application_time) FROM \"raw-requests\""));
                    }
                }
            }
        }
    }

    /** Runs the program for {@code millis}; the requests it made. */
    private static long runProgram(Path work, InfluxdProcess influxd, String database, Mode mode, long millis) throws Exception {
        Path log = work.resolve(database + ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=" + database,
                "-Drawmetrics.mode=" + mode.name().toLowerCase(Locale.ROOT), "-Drawmetrics.aggregation-interval=200ms",
                "-cp", System.getProperty("java.class.path"), ContinuousRequestsProcess.class.getName(),
                Long.toString(millis), "10000", "700");
        Process program = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(program.waitFor(120, TimeUnit.SECONDS), "the program ended");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, program.exitValue(), output);
        Matcher made = REQUESTS.matcher(output);
        assertTrue(made.find(), output);
        assertEquals("requests " + made.group(1), output.strip(), "nothing else printed: " + output);
        return Long.parseLong(made.group(1));
    }
}

package io.rawmetrics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.influxd.VictoriaMetricsProcess;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo as a user runs it: its own JVM, its own InfluxDB handling, stopped by a signal. */
class DemoProcessIT {

    @TempDir
    Path work;

    /** Starts the demo's main in a child JVM and waits for its banner. */
    private Process startDemo(Path output, String influxUrl, int port, String... settings) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Each run its own spool: the demo's, under target/, may hold what an earlier run put aside.
        List<String> command = new ArrayList<>(List.of(java, "-Drawmetrics.influxdb.url=" + influxUrl,
                "-Ddemo.influxdb.dir=" + work.resolve("influxdb"), "-Drawmetrics.spool-directory=" + work.resolve("spool")));
        command.addAll(List.of(settings));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HelloWorldV2.class.getName(),
                "wsgi-1", "--port", String.valueOf(port), "--threads", "5", "--log-to-terminal"));
        Process demo = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(output).contains("Stop with Ctrl-C.")) {
            if (!demo.isAlive() || System.nanoTime() > deadline) {
                demo.destroyForcibly();
                throw new AssertionError("the demo did not start:\n" + Files.readString(output));
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // poll the log again, until the deadline
        }
        return demo;
    }

    /** SIGTERM, as Ctrl-C's SIGINT, runs the shutdown hooks; waits for the exit. */
    private static String stop(Process demo, Path output) throws Exception {
        demo.destroy();
        assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "the demo exits");
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Test
    void startsAPrivateInfluxdWhenNoneAnswersAndFlushesEveryPointWhenStopped() throws Exception {
        int influxPort = InfluxdProcess.freePort();
        int port = InfluxdProcess.freePort();
        Path output = work.resolve("demo.log");
        Process demo = startDemo(output, "http://localhost:" + influxPort, port);
        DemoTraffic.send(URI.create("http://localhost:" + port + "/"), 100, 5);
        String printed = stop(demo, output);

        assertTrue(printed.contains("No InfluxDB answers at http://localhost:" + influxPort
                + ": starting a private one"), printed);
        assertTrue(printed.contains("Server URL         : http://localhost:" + port + "/"), printed);
        StopLine stopped = StopLine.in(printed).assertOnePointPerRequestServed(100);
        assertEquals(stopped.served(), printed.lines().filter(line -> line.contains("\"GET /\" 200 12")).count(),
                "--log-to-terminal logs each request:\n" + printed);

        // The private server stopped with the demo; its data stayed under the data directory.
        try (InfluxdProcess again = InfluxdProcess.startIn(work.resolve("influxdb"), InfluxdProcess.freePort());
             PointsInInflux points = new PointsInInflux(again, "wsgi")) {
            assertEquals(stopped.served(), points.count("SELECT count(application_time) FROM \"raw-requests\""));
        }
    }

    @Test
    void writesToVictoriaMetricsWithSettingsOnly() throws Exception {
        try (VictoriaMetricsProcess vm = VictoriaMetricsProcess.startTemporary()) {
            int port = InfluxdProcess.freePort();
            Path output = work.resolve("demo.log");
            // The settings docs/hello-world-v2.md gives for VictoriaMetrics.
            Process demo = startDemo(output, vm.url().toString(), port, "-Drawmetrics.influxdb.api=v2",
                    "-Drawmetrics.influxdb.bucket=wsgi", "-Drawmetrics.influxdb.create-database=false");
            DemoTraffic.send(URI.create("http://localhost:" + port + "/"), 60, 5);
            String printed = stop(demo, output);

            StopLine stopped = StopLine.in(printed).assertOnePointPerRequestServed(60);
            assertEquals(stopped.served(), vm.awaitCount("{__name__=\"raw-requests_application_time\"}", stopped.served(),
                    Duration.ofSeconds(30)));
        }
    }

    @Test
    void withoutAnyInfluxDbTheDemoStillServesAndSaysHowToGetOne() throws Exception {
        int port = InfluxdProcess.freePort();
        Path output = work.resolve("demo.log");
        // 127.0.0.2 is not "localhost" to the demo: it will not start a server there.
        Process demo = startDemo(output, "http://127.0.0.2:" + InfluxdProcess.freePort(), port);
        DemoTraffic.send(URI.create("http://localhost:" + port + "/"), 20, 5);
        String printed = stop(demo, output);

        assertTrue(printed.contains("Requests are served anyway"), printed);
        assertTrue(printed.contains("To get InfluxDB 1.x: sudo apt-get install -y influxdb"), printed);
        assertEquals(20, printed.lines().filter(line -> line.contains("\"GET /\" 200 12")).count(), printed);
    }

    @Test
    void aBadArgumentIsReportedWithTheUsage() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                HelloWorldV2.class.getName(), "wsgi-1", "--threads", "zero"))
                .redirectErrorStream(true).start();
        String printed = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(demo.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, demo.exitValue());
        assertTrue(printed.startsWith("error: --threads 'zero' must be a whole number from 1 to 1000"), printed);
        assertTrue(printed.contains("usage:"), printed);
    }
}

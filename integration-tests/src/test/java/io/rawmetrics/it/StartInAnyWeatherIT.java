package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program started before its InfluxDB's host name exists, as a container that starts before
 * its database's service name is registered: the name that does not resolve is an outage like any
 * other, and every call made from the start is delivered once it resolves. The JVM resolves names
 * from a hosts file of the test's own ({@code jdk.net.hosts.file}), to which the name is added
 * during the run.
 */
class StartInAnyWeatherIT {

    private static final String NAME = "influxdb-not-yet.rawmetrics.test";
    private static final String FUNCTION = "io.rawmetrics.it.fixtures.MethodKinds.concurrentCall";

    @TempDir
    Path work;

    private String output() throws IOException {
        return Files.readString(work.resolve("program.log"), StandardCharsets.UTF_8);
    }

    @Test
    void everyCallMadeBeforeTheNameResolvesIsDeliveredOnceItDoes() throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux points = new PointsInInflux(influxd, "weather")) {
            Path hosts = Files.writeString(work.resolve("hosts"), "127.0.0.1 localhost\n");
            String url = "http://" + NAME + ":" + influxd.url().getPort();
            Process program = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djdk.net.hosts.file=" + hosts, "-Dsun.net.inetaddr.negative.ttl=1",
                    "-Drawmetrics.influxdb.url=" + url, "-Drawmetrics.influxdb.database=weather",
                    "-cp", System.getProperty("java.class.path"), RecordingProcess.class.getName(), "5000", "wait"))
                    .redirectErrorStream(true).redirectOutput(work.resolve("program.log").toFile()).start();
            try {
                assertTrue(Await.until(Duration.ofSeconds(60), () -> output().contains("recorded 5000")
                        && output().contains("UnknownHostException")), "the name did not resolve:\n" + output());
                assertTrue(program.isAlive());

                Files.writeString(hosts, "127.0.0.1 localhost\n127.0.0.1 " + NAME + "\n"); // the name now exists
                String query = "SELECT count(application_time) FROM \"raw-requests\" WHERE \"function\" = '" + FUNCTION
                        + "' AND \"process\" =~ /:" + program.pid() + "$/";
                assertTrue(Await.until(Duration.ofSeconds(60), () -> {
                    try {
                        return points.count(query) == 5_000;
                    } catch (AssertionError databaseNotCreatedYet) {
                        return false;
                    }
                }), output());

                assertEquals(5_000, points.count(query), "every call made from the start");
                assertTrue(!output().contains("not recording"), output());
            } finally {
                program.destroy();
                program.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}

package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.Jdks.Jdk;
import io.rawmetrics.it.fixtures.VirtualThreadCalls;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A virtual thread per call, on the first JDK of 21 or later that the tests have (the running one,
 * or one from the Maven toolchains: see {@link Jdks}): every call is a point in InfluxDB, none
 * dropped, with the default buffer. (Were each thread to hold a buffer of its own, the pool's 390 chunks would be
 * gone after a few hundred threads: see {@code FirstCalls}.)
 */
class VirtualThreadsIT {

    private static final int CALLS = 50_000;

    /**
     * Virtual threads exist from Java 21 on: on a machine with only an older JDK these tests cannot
     * run, and Surefire reports them as skipped, with this reason.
     */
    private static Jdk javaWithVirtualThreads() {
        Optional<Jdk> jdk = Jdks.atLeast(21);
        assumeTrue(jdk.isPresent(), "virtual threads need Java 21 or later: run the tests on one, or declare one in "
                + Jdks.TOOLCHAINS + " (see the README, \"Run the tests\")");
        return jdk.get();
    }

    @Test
    void everyCallOfAVirtualThreadPerCallIsWritten() throws Exception {
        Jdk jdk = javaWithVirtualThreads();
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "virtual")) {
            String out = ExampleProjects.runJava(jdk, Path.of("."), Path.of("target", "classes"),
                    List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=virtual"),
                    VirtualThreadCalls.class.getName(), String.valueOf(CALLS));

            assertTrue(out.contains("written: true; Stats[recorded=" + CALLS + ", delivered=" + CALLS + ", dropped=0,"), out);
            assertEquals(CALLS, influx.pointsOf("raw-requests", "io.rawmetrics.it.fixtures.Greeter.greet").size());
        }
    }

    /**
     * The same in the aggregated mode: every thread has its own counts, and ends after one call;
     * every call is counted once, as a request too, and the threads' memory is let go.
     */
    @Test
    void everyCallOfAVirtualThreadPerCallIsCountedInTheAggregates() throws Exception {
        Jdk jdk = javaWithVirtualThreads();
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "virtual_aggregated")) {
            String out = ExampleProjects.runJava(jdk, Path.of("."), Path.of("target", "classes"),
                    List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=virtual_aggregated",
                            "-Drawmetrics.mode=aggregated", "-Drawmetrics.aggregation-interval=100ms"),
                    VirtualThreadCalls.class.getName(), String.valueOf(CALLS));

            assertTrue(out.contains("written: true; Stats[recorded=0, delivered=0, dropped=0,"), out);
            assertTrue(out.contains("aggregated=" + CALLS + ", aggregatedDelivered=" + CALLS + ", tags="), out);
            assertEquals(CALLS, ((Number) influx.select("SELECT sum(\"count\") FROM \"function-metrics\"").get(0).get("sum")).longValue());
            assertEquals(CALLS, ((Number) influx.select("SELECT sum(\"requests\") FROM \"request-metrics\"").get(0).get("sum")).longValue());
        }
    }
}

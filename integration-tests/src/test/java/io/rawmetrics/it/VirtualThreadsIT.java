package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.ExampleProjects.Jdk;
import io.rawmetrics.it.fixtures.VirtualThreadCalls;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A virtual thread per call, on Java 25: every call is a point in InfluxDB, none dropped, with the
 * default buffer. (Were each thread to hold a buffer of its own, the pool's 390 chunks would be
 * gone after a few hundred threads: see {@code FirstCalls}.)
 */
class VirtualThreadsIT {

    private static final int CALLS = 50_000;

    @Test
    void everyCallOfAVirtualThreadPerCallIsWritten() throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "virtual")) {
            String out = ExampleProjects.runJava(Jdk.JAVA_25, Path.of("."), Path.of("target", "classes"),
                    List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=virtual"),
                    VirtualThreadCalls.class.getName(), String.valueOf(CALLS));

            assertTrue(out.contains("written: true; Stats[recorded=" + CALLS + ", delivered=" + CALLS + ", dropped=0,"), out);
            assertEquals(CALLS, influx.pointsOf("raw-requests", "io.rawmetrics.it.fixtures.Greeter.greet").size());
        }
    }
}

package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/binary-weaving}: a jar built with plain javac and no knowledge of rawmetrics is
 * woven by the application's build ({@code <weaveDependencies>}) with a {@code TimedPointcut}
 * aspect; its calls land in a real InfluxDB.
 */
class BinaryWeavingExampleIT {

    @TempDir
    Path work;

    @Test
    void aJarBuiltWithoutRawmetricsIsWovenByTheApplicationsBuildAndTimed() throws Exception {
        Path project = ExampleProjects.copy("binary-weaving", work);

        String build = ExampleProjects.build(project);
        assertTrue(build.contains("Join point 'method-execution(boolean com.legacy.Inventory.reserve(java.lang.String))'"),
                "the legacy class is woven in the application's build:\n" + build);

        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "legacy")) {
            String out = ExampleProjects.runJava(project, project.resolve("app/target/classes"),
                    List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=legacy"),
                    "com.example.App", "250");
            assertTrue(out.contains("reserved 250"), out);
            assertEquals(250, influx.pointsOf("raw-requests", "com.legacy.Inventory.reserve").size());
        }
    }
}

package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.Jdks.Jdk;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code examples/binary-weaving}: a jar built with plain javac and no knowledge of rawmetrics is
 * woven by the application's build ({@code <weaveDependencies>}) with a {@code TimedPointcut}
 * aspect; its calls land in a real InfluxDB.
 */
class BinaryWeavingExampleIT {

    @TempDir
    Path work;

    @ParameterizedTest
    @MethodSource("io.rawmetrics.it.ExampleProjects#jdks")
    void aJarBuiltWithoutRawmetricsIsWovenByTheApplicationsBuildAndTimed(Jdk jdk) throws Exception {
        Path project = ExampleProjects.copy("binary-weaving", work);

        String build = ExampleProjects.build(project, jdk);
        assertTrue(build.contains("Join point 'method-execution(boolean com.legacy.Inventory.reserve(java.lang.String))'"),
                "the legacy class is woven in the application's build:\n" + build);
        assertFalse(build.contains("[WARNING]"), "no weaver warning when the pointcut matches:\n" + build);

        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "legacy")) {
            String out = ExampleProjects.runJava(jdk, project, project.resolve("app/target/classes"),
                    List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=legacy"),
                    "com.example.App", "250");
            assertTrue(out.contains("reserved 250"), out);
            assertEquals(250, influx.pointsOf("raw-requests", "com.legacy.Inventory.reserve").size());
        }
    }

    @Test
    void aPointcutThatMatchesNothingIsAWarningInTheBuild() throws Exception {
        Path project = ExampleProjects.copy("binary-weaving", work);
        ExampleProjects.replaceIn(project.resolve("app/src/main/aspect/com/example/TimeLegacy.aj"),
                "com.legacy..*", "com.legasy..*");

        String build = ExampleProjects.build(project);
        assertTrue(build.contains("[WARNING] advice defined in io.rawmetrics.aspect.TimedPointcut has not been applied"
                + " [Xlint:adviceDidNotMatch]"), "a typo in selected() does not pass silently:\n" + build);
        assertFalse(build.contains("Join point"), build);
    }
}

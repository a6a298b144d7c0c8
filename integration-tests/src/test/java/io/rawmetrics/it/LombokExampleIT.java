package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * {@code examples/lombok}: with Lombok, ajc compiling the sources fails ("The method getName() is
 * undefined"); javac compiling and ajc weaving the classes afterwards works, as docs/troubleshooting.md says.
 */
class LombokExampleIT {

    @TempDir
    Path work;

    @ParameterizedTest
    @MethodSource("io.rawmetrics.it.ExampleProjects#jdks")
    void javacThenAjcWeavingWorksWithLombok(Jdk jdk) throws Exception {
        Path project = ExampleProjects.copy("lombok", work);
        String build = ExampleProjects.build(project, jdk);
        assertTrue(build.contains("Join point 'method-execution(java.lang.String com.example.Item.label())'"), build);

        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "lombok")) {
            String out = ExampleProjects.runJava(jdk, project, project.resolve("target/classes"),
                    List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=lombok"),
                    "com.example.Item", "50");
            assertTrue(out.contains("item #49"), out);
            assertEquals(50, influx.pointsOf("raw-requests", "com.example.Item.label").size());
        }
    }

    @Test
    void ajcCompilingLombokSourcesFailsAsTroubleshootingSays() throws Exception {
        Path project = ExampleProjects.copy("lombok", work);
        Path pom = project.resolve("pom.xml");
        ExampleProjects.replaceIn(pom, "<forceAjcCompile>true</forceAjcCompile>", "");
        ExampleProjects.replaceIn(pom, "<sources/>", "");
        ExampleProjects.replaceIn(pom, "<weaveDirectories>\n            <weaveDirectory>${project.build.outputDirectory}</weaveDirectory>\n"
                + "          </weaveDirectories>", "");
        ExampleProjects.replaceIn(pom, "<phase>process-classes</phase>", "");

        String build = ExampleProjects.buildExpectingFailure(project, Jdks.running());
        assertTrue(build.contains("The method getName() is undefined for the type Item"), build);
    }
}

package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.Jdks.Jdk;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's application as a named module ({@code src/test/projects/modular-app}): its
 * {@code module-info.java} says {@code requires io.rawmetrics.core; requires io.rawmetrics.aspect;},
 * the names in the jars' {@code Automatic-Module-Name}. javac compiles it on the module path, ajc
 * weaves it, and it runs with {@code java -m}, rawmetrics' jars on the module path: every call a
 * point in a real influxd.
 */
class ModularAppIT {

    private static final int CALLS = 700;

    @TempDir
    Path work;

    @Test
    void aNamedModuleRequiringRawmetricsIsWovenAndItsCallsReachInflux() throws Exception {
        Path project = ExampleProjects.copyProject(Path.of("src", "test", "projects", "modular-app"), work);
        String build = ExampleProjects.mvn(project, Map.of(), "-B", "package");
        assertTrue(build.contains("Join point 'method-execution(java.lang.String com.example.modular.App.greet(int))'"), build);
        Path classpathFile = work.resolve("classpath.txt");
        ExampleProjects.mvn(project, Map.of(), "-B", "-q", "dependency:build-classpath",
                "-Dmdep.outputFile=" + classpathFile);

        // rawmetrics and the AspectJ runtime on the module path, read by the application's module;
        // the HTTP client's libraries on the class path, which automatic modules read.
        List<String> modulePath = new ArrayList<>(List.of(project.resolve("target/classes").toString()));
        List<String> classPath = new ArrayList<>();
        for (String jar : Files.readString(classpathFile).strip().split(File.pathSeparator)) {
            String name = Path.of(jar).getFileName().toString();
            boolean module = name.startsWith("metrics-core-") || name.startsWith("metrics-aspect-") || name.startsWith("aspectjrt-");
            (module ? modulePath : classPath).add(jar);
        }
        assertEquals(3, modulePath.size() - 1, "metrics-core, metrics-aspect and aspectjrt: " + modulePath);

        Jdk jdk = Jdks.running();
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "modular")) {
            String out = ExampleProjects.run(project, List.of(jdk.java().toString(),
                    "-p", String.join(File.pathSeparator, modulePath),
                    "-cp", String.join(File.pathSeparator, classPath),
                    "-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=modular",
                    "-m", "com.example.modular/com.example.modular.App", String.valueOf(CALLS)));

            assertTrue(out.contains("hello " + (CALLS - 1) + " from module com.example.modular"), out);
            assertEquals(CALLS, influx.pointsOf("raw-requests", "com.example.modular.App.greet").size(), out);
        }
    }
}

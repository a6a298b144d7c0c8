package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.nio.file.Path;
import java.util.List;
import org.aspectj.weaver.loadtime.Agent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/load-time-weaving}: compiled by plain javac, no ajc; run with the AspectJ agent
 * and the example's {@code META-INF/aop.xml}, its {@code @FunctionCall} calls land in a real InfluxDB.
 */
class LoadTimeWeavingExampleIT {

    @TempDir
    Path work;

    @Test
    void theAgentWeavesAnnotatedMethodsAsTheyLoad() throws Exception {
        Path project = ExampleProjects.copy("load-time-weaving", work);
        String build = ExampleProjects.build(project);
        assertTrue(!build.contains("aspectj-maven-plugin"), "no ajc in this build:\n" + build);

        Path weaver = Path.of(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "ltw")) {
            String out = ExampleProjects.runJava(project, project.resolve("target/classes"),
                    List.of("-javaagent:" + weaver, "-Drawmetrics.influxdb.url=" + influxd.url(),
                            "-Drawmetrics.influxdb.database=ltw"),
                    "com.example.Greeter", "300");
            assertTrue(out.contains("Hello #299!"), out);
            assertTrue(out.contains("Join point 'method-execution(java.lang.String com.example.Greeter.greet(java.lang.String))'"),
                    "the agent reports the weaving:\n" + out);
            assertEquals(300, influx.pointsOf("raw-requests", "com.example.Greeter.greet").size());
        }
    }
}

package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.Jdks.Jdk;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code examples/load-time-weaving}: compiled by plain javac, no ajc; run with the AspectJ agent
 * and the example's {@code META-INF/aop.xml}, its {@code @FunctionCall} calls, and the calls its
 * aop.xml-declared {@code TimedPointcut} selects, land in a real InfluxDB.
 */
class LoadTimeWeavingExampleIT {

    @TempDir
    Path work;

    @ParameterizedTest
    @MethodSource("io.rawmetrics.it.ExampleProjects#jdks")
    void theAgentWeavesAnnotatedAndPointcutSelectedMethodsAsTheyLoad(Jdk jdk) throws Exception {
        Path project = ExampleProjects.copy("load-time-weaving", work);
        String build = ExampleProjects.build(project, jdk);
        assertTrue(!build.contains("aspectj-maven-plugin"), "no ajc in this build:\n" + build);

        Path weaver = project.resolve("target/agent/aspectjweaver.jar");
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "ltw")) {
            String out = ExampleProjects.runJava(jdk, project, project.resolve("target/classes"),
                    List.of("-javaagent:" + weaver, "-Drawmetrics.influxdb.url=" + influxd.url(),
                            "-Drawmetrics.influxdb.database=ltw"),
                    "com.example.Greeter", "300");
            assertTrue(out.contains("Hello #299!"), out);
            assertTrue(out.contains("Join point 'method-execution(java.lang.String com.example.Greeter.greet(java.lang.String))'"),
                    "the agent reports the weaving:\n" + out);
            assertEquals(300, influx.pointsOf("raw-requests", "com.example.Greeter.greet").size());

            assertTrue(out.contains("Join point 'method-execution(java.lang.String com.example.Phrasebook.salutation())'"
                    + " in Type 'com.example.Phrasebook' (Phrasebook.java:10) advised by around advice from"
                    + " 'com.example.TimePhrasebook'"), "the concrete aspect from aop.xml weaves the unannotated class:\n" + out);
            assertEquals(300, influx.pointsOf("raw-requests", "com.example.Phrasebook.salutation").size(),
                    "a TimedPointcut declared in aop.xml times its methods like @FunctionCall");
        }
    }

    @ParameterizedTest
    @MethodSource("io.rawmetrics.it.ExampleProjects#jdks")
    void javacChecksFunctionCallAttributesAtCompileTime(Jdk jdk) throws Exception {
        Path project = ExampleProjects.copy("load-time-weaving", work);
        ExampleProjects.replaceIn(project.resolve("src/main/java/com/example/Greeter.java"),
                "@FunctionCall\n", "@FunctionCall(tags = \"greeting\")\n");

        String build = ExampleProjects.buildExpectingFailure(project, jdk);
        assertTrue(build.contains("invalid @FunctionCall on com.example.Greeter.greet: tag \"greeting\" must be written key=value"),
                "the checker in metrics-core runs in a javac build:\n" + build);
    }
}

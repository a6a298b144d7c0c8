package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a user runs a program that ends delivers every call's point, exactly, says nothing,
 * and does not hold the exit: a user's project ({@code src/test/projects/user-app}, set up as the
 * README says) built by a real {@code mvn}, run by {@code mvn exec:java} with the plugin's
 * defaults, by {@code java -cp} with {@code main} returning or calling {@code System.exit(0)},
 * and its own JUnit tests run by Surefire, each against a real influxd.
 */
class RunPathsIT {

    private static final int CALLS_PER_THREAD = 4500;
    /** 4 threads, and once from main. */
    private static final int CALLS = 4 * CALLS_PER_THREAD + 1;
    private static final List<String> FUNCTIONS = List.of("parse", "validate", "price", "store", "reply");
    /** How long the exit may take after main ends: the writes, and the JVM's own end. Broken, it was 15 s. */
    private static final long MAX_EXIT_MILLIS = 5_000;
    private static final Pattern MAIN_ENDS = Pattern.compile("main ends at (\\d+)");

    @TempDir
    static Path work;
    private static Path project;
    private static InfluxdProcess influxd;

    @BeforeAll
    static void buildTheUsersProject() throws Exception {
        project = ExampleProjects.copyProject(Path.of("src", "test", "projects", "user-app"), work);
        // Its tests are run below, against the test's influxd: never against one the user runs on 8086.
        String build = ExampleProjects.mvn(project, Map.of(), "-B", "package", "-DskipTests");
        assertTrue(build.contains("BUILD SUCCESS"), build);
        influxd = InfluxdProcess.startTemporary();
    }

    @AfterAll
    static void stopInfluxd() {
        influxd.close();
    }

    @Test
    void mvnExecJavaWithThePluginsDefaultsDeliversEveryPointOnceMainReturns() throws Exception {
        String out = ExampleProjects.mvn(project, Map.of(), "-B", "-q", "exec:java",
                "-Dexec.mainClass=com.example.Workload", "-Dexec.args=" + CALLS_PER_THREAD,
                "-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=exec_java");
        long ended = System.currentTimeMillis();

        assertEveryPointIn("exec_java", CALLS);
        assertSilentAndQuick(out, ended);
    }

    /** The same run path in the aggregated mode: the last, partial interval is written before the class loader closes. */
    @Test
    void mvnExecJavaInTheAggregatedModeCountsEveryCallOnceMainReturns() throws Exception {
        String out = ExampleProjects.mvn(project, Map.of(), "-B", "-q", "exec:java",
                "-Dexec.mainClass=com.example.Workload", "-Dexec.args=" + CALLS_PER_THREAD,
                "-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=exec_java_aggregated",
                "-Drawmetrics.mode=aggregated");
        long ended = System.currentTimeMillis();

        try (PointsInInflux influx = new PointsInInflux(influxd, "exec_java_aggregated")) {
            for (String function : FUNCTIONS) {
                assertEquals(CALLS, ((Number) influx.select("SELECT sum(\"count\") FROM \"function-metrics\""
                        + " WHERE \"function\" = 'com.example.Workload." + function + "'").get(0).get("sum")).longValue(), function);
            }
            assertEquals(0, influx.count("SELECT count(application_time) FROM \"raw-requests\""));
        }
        assertSilentAndQuick(out, ended);
    }

    /** {@code main} returning, or calling {@code System.exit(0)}: the JVM's shutdown hook writes what is left. */
    @ParameterizedTest
    @ValueSource(strings = {"return", "exit"})
    void javaDeliversEveryPointWhetherMainReturnsOrCallsSystemExit(String ending) throws Exception {
        String database = "java_" + ending;
        String out = ExampleProjects.runJava(project, project.resolve("target/classes"),
                List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=" + database),
                "com.example.Workload", String.valueOf(CALLS_PER_THREAD), ending);
        long ended = System.currentTimeMillis();

        assertEveryPointIn(database, CALLS);
        assertSilentAndQuick(out, ended);
    }

    @Test
    void aCallEndingAfterTheLibrarysShutdownHookIsNotWrittenAndSaysSo() throws Exception {
        String out = ExampleProjects.runJava(project, project.resolve("target/classes"),
                List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=java_late"),
                "com.example.Workload", "10", "late");

        assertTrue(out.contains("rawmetrics: a call of execution(int com.example.Workload.parse(int)) ended after "
                + "recording stopped at JVM exit and is not written (nor are any later ones); an application that "
                + "finishes requests during its own shutdown should stop rawmetrics itself after them: see "
                + "\"Programs that end\" in docs/getting-started.md"), out);
        assertEveryPointIn("java_late", 4 * 10 + 1);
    }

    @Test
    void theUsersOwnTestsRunBySurefireDeliverThePointsOfTheirCalls() throws Exception {
        // Surefire runs the tests in a JVM of its own: the environment reaches it, as in CI.
        String out = ExampleProjects.mvn(project, Map.of("RAWMETRICS_INFLUXDB_URL", influxd.url().toString(),
                "RAWMETRICS_INFLUXDB_DATABASE", "surefire"), "-B", "test");
        assertTrue(out.contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"), out);

        try (PointsInInflux influx = new PointsInInflux(influxd, "surefire")) {
            assertEquals(500, count(influx, "parse"));
            assertEquals(700, count(influx, "validate"));
        }
        assertFalse(out.contains("rawmetrics:"), out);
    }

    private static void assertEveryPointIn(String database, int calls) {
        try (PointsInInflux influx = new PointsInInflux(influxd, database)) {
            for (String function : FUNCTIONS) {
                assertEquals(calls, count(influx, function), function);
            }
        }
    }

    private static long count(PointsInInflux influx, String method) {
        return influx.count("SELECT count(application_time) FROM \"raw-requests\" WHERE function = 'com.example.Workload."
                + method + "'");
    }

    /**
     * No word from the library, no warning from Maven or its plugins, and the process ended soon
     * after main. (Maven 3.8's own libraries make the JVM print a {@code sun.misc.Unsafe} warning
     * on Java 24 and later: the JVM's, about Maven, not a plugin's {@code [WARNING]}.)
     */
    private static void assertSilentAndQuick(String output, long processEnded) {
        String out = withoutJvmSettings(output);
        assertFalse(out.contains("rawmetrics"), out);
        assertFalse(out.contains("[WARNING]"), out);
        assertFalse(out.contains("SEVERE"), out);
        assertFalse(out.contains("ERROR"), out);
        assertFalse(out.contains("Exception"), out);
        Matcher m = MAIN_ENDS.matcher(out);
        assertTrue(m.find(), out);
        long exitMillis = processEnded - Long.parseLong(m.group(1));
        assertTrue(exitMillis < MAX_EXIT_MILLIS, "the exit took " + exitMillis + " ms after main ended:\n" + out);
        System.out.println("exit took " + exitMillis + " ms after main ended");
    }

    /** The program's output without what {@code -XshowSettings:properties} printed before it (up to a blank line). */
    private static String withoutJvmSettings(String out) {
        if (!out.startsWith("Property settings:")) {
            return out;
        }
        int blank = out.indexOf("\n\n");
        return blank < 0 ? "" : out.substring(blank + 2);
    }
}

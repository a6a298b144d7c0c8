package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a user runs a program that ends delivers every call's point, exactly, says nothing,
 * and does not hold the exit, <em>every time</em>: a user's project ({@code src/test/projects/user-app},
 * set up as the README says) built by a real {@code mvn}, run again and again by {@code mvn
 * exec:java} with the plugin's defaults, by {@code java -cp} with {@code main} returning, calling
 * {@code System.exit(0)} or stopped by SIGTERM, and its own JUnit tests run by Surefire, each run
 * against a real influxd and counted there.
 *
 * <p>A race that loses every point one run in eight passes a test that runs each path once
 * (issue 34: {@code exec:java} stored nothing when {@code main} returned while rawmetrics was
 * starting). So each path runs {@value #DEFAULT_RUNS} times here, its programs ending at the
 * moments of {@link #ENDINGS} in turn; {@code integration-tests/run-paths.sh} runs the same tests
 * 25 times each ({@code -Drawmetrics.it.runs=25}), and docs/reliability.md has its numbers.
 */
class RunPathsIT {

    static final int DEFAULT_RUNS = 5;
    /** Runs of each path: {@value #DEFAULT_RUNS} in the test command, more from run-paths.sh. */
    private static final int RUNS = Integer.getInteger("rawmetrics.it.runs", DEFAULT_RUNS);
    /**
     * When the programs end, run after run (the Workload's first argument): right after the first
     * calls; while rawmetrics is still starting (its writer made, the calls before it not yet
     * handed over); inside the first flush interval; after a burst that fills several batches; and
     * after several flush intervals of steady calls.
     */
    private static final List<String> ENDINGS = List.of("1", "until-started", "300ms", "4500", "2500ms");
    private static final List<String> FUNCTIONS = List.of("parse", "validate", "price", "store", "reply");
    private static final Pattern MAIN_ENDS = Pattern.compile("main ends at (\\d+) after (\\d+) calls of each method");
    /**
     * What the library may add to a program's exit: its writer's deadline ({@code rawmetrics.shutdown-timeout},
     * 5 s by default) and the second the stop waits past it for a write under way.
     */
    private static final long MAX_EXIT_ADDED_MILLIS = 5_000 + 1_000;

    @TempDir
    static Path work;
    private static Path project;
    private static InfluxdProcess influxd;
    /** The exit of each path with recording off, measured once: what an exit costs without the library. */
    private static final Map<String, Long> exitWithoutRecording = new HashMap<>();

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
    void mvnExecJavaWithThePluginsDefaultsDeliversEveryPointOnceMainReturnsEveryRun() throws Exception {
        // Twice the runs of the other paths: it is the one that lost everything.
        repeat("exec_java", 2 * RUNS, (database, ending) -> execJava(database, ending, List.of()));
    }

    @Test
    void javaWithMainReturningDeliversEveryPointEveryRun() throws Exception {
        repeat("java_return", RUNS, (database, ending) -> java(database, ending, "return", List.of()));
    }

    @Test
    void javaWithSystemExitDeliversEveryPointEveryRun() throws Exception {
        repeat("java_exit", RUNS, (database, ending) -> java(database, ending, "exit", List.of()));
    }

    @Test
    void javaStoppedBySigtermDeliversEveryPointEveryRun() throws Exception {
        repeat("java_sigterm", RUNS, (database, ending) -> javaUntilSigterm(database, ending, List.of()));
    }

    /** The same run path in the aggregated mode: the last, partial interval is written before the class loader closes. */
    @Test
    void mvnExecJavaInTheAggregatedModeCountsEveryCallOnceMainReturns() throws Exception {
        Run run = execJava("exec_java_aggregated", "4500", List.of("-Drawmetrics.mode=aggregated"));

        try (PointsInInflux influx = new PointsInInflux(influxd, "exec_java_aggregated")) {
            for (String function : FUNCTIONS) {
                assertEquals(run.calls(), ((Number) influx.select("SELECT sum(\"count\") FROM \"function-metrics\""
                        + " WHERE \"function\" = 'com.example.Workload." + function + "'").get(0).get("sum")).longValue(), function);
            }
            assertEquals(0, influx.count("SELECT count(application_time) FROM \"raw-requests\""));
        }
        assertEquals(List.of(), silentAndQuick("exec_java", run));
    }

    /**
     * More calls than the buffer holds, under {@code mvn exec:java}: what is dropped is said with
     * its count before Maven ends (the shutdown hook, which said it with {@code java}, never ran
     * there on Java 17: the plugin had destroyed the thread group it was made in).
     */
    @Test
    void mvnExecJavaSaysWhatAFullBufferDroppedWithItsCount() throws Exception {
        Run run = execJava("exec_java_full", "4500", List.of("-Drawmetrics.buffer-capacity=20000"));

        long stored;
        try (PointsInInflux influx = new PointsInInflux(influxd, "exec_java_full")) {
            stored = influx.count("SELECT count(application_time) FROM \"raw-requests\"");
        }
        long calls = 5 * run.calls();
        assertTrue(stored < calls, stored + " of " + calls);
        String said = "rawmetrics: of " + String.format("%,d", calls) + " calls recorded, "
                + String.format("%,d", calls - stored) + " calls were not written to " + influxd.url() + ": "
                + String.format("%,d", calls - stored) + " dropped because 20,000 points were already waiting to be written"
                + " (rawmetrics.buffer-capacity)";
        assertTrue(run.output().contains(said), "expected '" + said + "' in:\n" + run.output());
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
        assertEquals(List.of(), everyPointIn("java_late", 4 * 10 + 1));
    }

    /**
     * A writer that cannot load a class it needs (HdrHistogram, which the aggregated mode counts
     * with, left off the class path): the program's methods run on unchanged, and the failure and
     * every call it cost are said, with the cause, at exit (on standard error: java.util.logging is
     * gone by then).
     */
    @Test
    void aWriterThatCannotLoadAClassSaysWhatItLostAndTheProgramRunsOn() throws Exception {
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("HdrHistogram")).collect(Collectors.joining(File.pathSeparator));
        String out = ExampleProjects.run(project, List.of(Jdks.running().java().toString(),
                "-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=java_no_histograms",
                "-Drawmetrics.mode=aggregated", "-cp", project.resolve("target/classes") + File.pathSeparator + classPath,
                "com.example.Workload", "4500", "return"));

        assertTrue(out.contains(" after 18001 calls of each method"), "the program ran on:\n" + out);
        // Said once, when it first happened (its pass may or may not have been the stop's last).
        assertEquals(1, out.lines().filter(line -> line.startsWith("rawmetrics: the writer failed;")
                && line.endsWith(": java.lang.NoClassDefFoundError: org/HdrHistogram/AbstractHistogram")).count(), out);
        Matcher summary = Pattern.compile("rawmetrics: of ([0-9,]+) calls recorded, ([0-9,]+) calls were not written to "
                + Pattern.quote(influxd.url().toString()) + ": ([0-9,]+) lost when the writer failed of"
                + " java.lang.NoClassDefFoundError: org/HdrHistogram/AbstractHistogram \\(logged when it happened\\)").matcher(out);
        assertTrue(summary.find(), "every call lost, and why:\n" + out);
        assertEquals("90,005", summary.group(1), "every call made is counted, once:\n" + out);
        assertEquals(summary.group(1), summary.group(2), out);
        assertEquals(summary.group(1), summary.group(3), out);
    }

    @Test
    void theUsersOwnTestsRunBySurefireDeliverThePointsOfTheirCallsEveryRun() throws Exception {
        List<String> failures = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            String database = "surefire_" + run;
            // Surefire runs the tests in a JVM of its own: the environment reaches it, as in CI.
            String out = ExampleProjects.mvn(project, Map.of("RAWMETRICS_INFLUXDB_URL", influxd.url().toString(),
                    "RAWMETRICS_INFLUXDB_DATABASE", database), "-B", "test");
            assertTrue(out.contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"), out);
            try (PointsInInflux influx = new PointsInInflux(influxd, database)) {
                long parse = count(influx, "parse");
                long validate = count(influx, "validate");
                if (parse != 500 || validate != 700) {
                    failures.add("run " + run + ": parse " + parse + " of 500, validate " + validate + " of 700");
                }
            }
            if (out.contains("rawmetrics:")) {
                failures.add("run " + run + " said something:\n" + out);
            }
        }
        report("surefire", RUNS, failures);
    }

    /** A program run, its output, and the time it ended by this test's clock. */
    record Run(String output, long endedMillis) {
        long calls() {
            Matcher m = MAIN_ENDS.matcher(output);
            assertTrue(m.find(), output);
            return Long.parseLong(m.group(2));
        }

        long mainEndedMillis() {
            Matcher m = MAIN_ENDS.matcher(output);
            assertTrue(m.find(), output);
            return Long.parseLong(m.group(1));
        }
    }

    @FunctionalInterface
    interface RunPath {
        Run run(String database, String ending) throws Exception;
    }

    /**
     * Runs {@code path} {@code runs} times, each run ending at the next of {@link #ENDINGS} into a
     * database of its own, and checks each: every call stored, nothing said, the exit not held.
     * Every run is made before the test fails, so that its message shows how often and how.
     */
    private static void repeat(String name, int runs, RunPath path) throws Exception {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String ending = ENDINGS.get(i % ENDINGS.size());
            String database = name + "_" + i;
            Run run = path.run(database, ending);
            List<String> wrong = new ArrayList<>(everyPointIn(database, run.calls()));
            wrong.addAll(silentAndQuick(name, run));
            if (!wrong.isEmpty()) {
                failures.add("run " + (i + 1) + " (ending " + ending + ", " + run.calls() + " calls of each method): "
                        + String.join("; ", wrong));
            }
        }
        report(name, runs, failures);
    }

    /** Prints the paths' tally (run-paths.sh collects these lines), then fails with every failed run. */
    private static void report(String name, int runs, List<String> failures) {
        System.out.println("run-paths: " + name + " on Java " + Runtime.version().feature() + ": "
                + (runs - failures.size()) + " of " + runs + " runs stored every call");
        assertTrue(failures.isEmpty(), failures.size() + " of " + runs + " runs of " + name + " failed:\n"
                + String.join("\n", failures));
    }

    private static Run execJava(String database, String ending, List<String> settings) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("-B", "-q", "exec:java", "-Dexec.mainClass=com.example.Workload",
                "-Dexec.args=" + ending, "-Drawmetrics.influxdb.url=" + influxd.url(),
                "-Drawmetrics.influxdb.database=" + database));
        arguments.addAll(settings);
        String out = ExampleProjects.mvn(project, Map.of(), arguments.toArray(String[]::new));
        return new Run(out, System.currentTimeMillis());
    }

    private static Run java(String database, String ending, String how, List<String> settings) throws Exception {
        List<String> jvmArgs = new ArrayList<>(List.of("-Drawmetrics.influxdb.url=" + influxd.url(),
                "-Drawmetrics.influxdb.database=" + database));
        jvmArgs.addAll(settings);
        String out = ExampleProjects.runJava(project, project.resolve("target/classes"), jvmArgs,
                "com.example.Workload", ending, how);
        return new Run(out, System.currentTimeMillis());
    }

    /** {@code java -cp}, stopped by SIGTERM once {@code main} has said it ends; the exit is timed from the signal. */
    private static Run javaUntilSigterm(String database, String ending, List<String> settings) throws Exception {
        List<String> jvmArgs = new ArrayList<>(List.of("-Drawmetrics.influxdb.url=" + influxd.url(),
                "-Drawmetrics.influxdb.database=" + database));
        jvmArgs.addAll(settings);
        Path log = work.resolve(database + ".log");
        Process process = ExampleProjects.startJava(project, project.resolve("target/classes"), jvmArgs, log,
                "com.example.Workload", ending, "wait");
        ExampleProjects.awaitLogLine(process, log, " calls of each method", Duration.ofSeconds(120));
        long signalled = System.currentTimeMillis();
        process.destroy(); // SIGTERM
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the JVM exits after SIGTERM");
        long ended = System.currentTimeMillis();
        String out = java.nio.file.Files.readString(log);
        // The exit is counted from the signal, not from main's line: replace its time by the signal's.
        return new Run(out.replaceFirst("main ends at \\d+", "main ends at " + signalled), ended);
    }

    /** What is wrong with the points of a run's {@code calls} calls of each method, if anything. */
    private static List<String> everyPointIn(String database, long calls) {
        List<String> wrong = new ArrayList<>();
        try (PointsInInflux influx = new PointsInInflux(influxd, database)) {
            for (String function : FUNCTIONS) {
                long stored = count(influx, function);
                if (stored != calls) {
                    wrong.add(function + ": " + stored + " of " + calls + " stored");
                }
            }
        } catch (AssertionError e) {
            if (!String.valueOf(e.getMessage()).contains("database not found")) {
                throw e;
            }
            wrong.add("nothing stored: not even the database was created");
        }
        return wrong;
    }

    private static long count(PointsInInflux influx, String method) {
        return influx.count("SELECT count(application_time) FROM \"raw-requests\" WHERE function = 'com.example.Workload."
                + method + "'");
    }

    /**
     * No word from the library, no warning from Maven or its plugins, and an exit that the library
     * held no longer than its own deadline allows: compared with the same path's exit with
     * recording off, measured here, not with a fixed time that a busy machine exceeds. (Maven 3.8's
     * own libraries make the JVM print a {@code sun.misc.Unsafe} warning on Java 24 and later: the
     * JVM's, about Maven, not a plugin's {@code [WARNING]}.)
     */
    private static List<String> silentAndQuick(String path, Run run) throws Exception {
        List<String> wrong = new ArrayList<>();
        String out = withoutJvmSettings(run.output());
        for (String word : List.of("rawmetrics", "[WARNING]", "SEVERE", "ERROR", "Exception")) {
            if (out.contains(word)) {
                wrong.add("the output says " + word + ":\n" + out);
                break;
            }
        }
        long exitMillis = run.endedMillis() - run.mainEndedMillis();
        long withoutRecording = exitWithoutRecording(path);
        if (exitMillis > withoutRecording + MAX_EXIT_ADDED_MILLIS) {
            wrong.add("the exit took " + exitMillis + " ms after main ended, " + withoutRecording + " ms with recording off");
        }
        return wrong;
    }

    /** How long {@code path}'s exit takes after main with {@code rawmetrics.enabled=false}: measured once, on first use. */
    private static long exitWithoutRecording(String path) throws Exception {
        Long measured = exitWithoutRecording.get(path);
        if (measured == null) {
            List<String> off = List.of("-Drawmetrics.enabled=false");
            Run run = switch (path) {
                case "exec_java" -> execJava("off", "4500", off);
                case "java_sigterm" -> javaUntilSigterm("off", "4500", off);
                default -> java("off", "4500", path.equals("java_exit") ? "exit" : "return", off);
            };
            measured = run.endedMillis() - run.mainEndedMillis();
            exitWithoutRecording.put(path, measured);
            System.out.println("run-paths: " + path + " exits " + measured + " ms after main with recording off");
        }
        return measured;
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

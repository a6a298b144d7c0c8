package io.rawmetrics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's demo commands, word for word, in a fresh copy of this repository, as a newcomer
 * runs them: on the ports they name (8000 for the demo, 8086 for InfluxDB, where nothing answers,
 * so the demo starts its private {@code influxd}), stopped by SIGTERM as Ctrl-C would.
 * {@code DocsAreExercisedTest} (integration-tests) checks that the docs' commands are these strings.
 * In the README's order: the first command builds what the others run.
 *
 * <p>The commands run in a {@link PrivateNetwork}, with ports 8000 and 8086 of their own: a
 * developer's InfluxDB on 8086 neither breaks the test nor receives its points. Where no private
 * namespace can be made (no {@code unshare}, or a kernel that refuses unprivileged user
 * namespaces), the commands run on the machine's own ports if both are free; if they are not, the
 * test is skipped saying why, except in CI ({@code CI=true}), where it must run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadmeDemoCommandsIT {

    // One line each, as in the docs, so that DocsAreExercisedTest finds them here.
    static final String RUN_THE_DEMO = "mvn -B -q -pl hello-world-v2 -am install exec:java -DskipTests";
    static final String RUN_WSGI_2 = "mvn -pl hello-world-v2 exec:java -Dexec.args=\"wsgi-2 --port 8000 --threads 5 --log-to-terminal\" -Drawmetrics.influxdb.url=http://localhost:8086";
    static final String RUN_WSGI_2_SHORT = "mvn -pl hello-world-v2 exec:java -Dexec.args=\"wsgi-2\"";
    static final String REPORT = "mvn -B -q -pl hello-world-v2 exec:java -Dexec.args=\"report --last 60\"";
    static final String DASHBOARD = "mvn -pl hello-world-v2 exec:java -Dexec.args=\"dashboard\"";
    static final String RUN_TAG_PATH = "mvn -pl hello-world-v2 exec:java -Dexec.args=\"wsgi-1 --tag-path\"";
    static final String RUN_AGGREGATED = "mvn -pl hello-world-v2 exec:java -Dexec.args=\"wsgi-2 --metrics aggregated\"";
    static final String REPORT_AGGREGATED = "mvn -B -q -pl hello-world-v2 exec:java -Dexec.args=\"report --metrics aggregated --last 60\"";

    private static final URI DEMO = URI.create("http://localhost:8000/");

    @TempDir
    static Path checkout;
    /** Where the commands run; {@code null}: on the machine's own ports. */
    private static PrivateNetwork network;

    @BeforeAll
    static void privatePorts(@TempDir Path scratch) throws IOException {
        PrivateNetwork.Result opened = PrivateNetwork.open(scratch);
        network = opened.network().orElse(null);
        if (network == null) {
            String reason = "no private network namespace for the README's commands (" + opened.whyNot() + ")";
            assertFalse("true".equals(System.getenv("CI")), reason + ": CI must check them");
            assumeTrue(portsFree(), reason + ", and ports 8000 and 8086 are taken here: the commands are checked word"
                    + " for word in CI");
        }
    }

    @AfterAll
    static void closeNetwork() {
        if (network != null) {
            network.close();
        }
    }

    @BeforeAll
    static void freshCopyOfTheRepository() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path relative = root.relativize(source);
                boolean skipped = relative.toString().isEmpty(); // the root: the temporary directory itself
                for (Path part : relative) {
                    skipped |= part.toString().equals("target") || part.toString().equals(".git");
                }
                if (!skipped) {
                    Files.copy(source, checkout.resolve(relative.toString()));
                }
            }
        }
        fetchTheExecPluginWhileTheNetworkIsThere();
    }

    /**
     * A newcomer's {@code mvn ... exec:java} downloads the exec plugin on its first run. The private
     * network has no way out, so on a machine where no build has used that plugin yet (its jar is
     * not in the local repository: the build itself never runs it) every command would fail with
     * "No plugin found for prefix 'exec'". Loading it once here, on the machine's own network,
     * is that first run.
     */
    private static void fetchTheExecPluginWhileTheNetworkIsThere() throws IOException {
        Path log = checkout.resolve("exec-plugin.log");
        Process help = new ProcessBuilder("mvn", "-B", "-q", "-pl", "hello-world-v2", "exec:help")
                .directory(checkout.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(help.waitFor(5, TimeUnit.MINUTES), "mvn exec:help still running after 5 minutes");
        } catch (InterruptedException e) {
            help.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        assertEquals(0, help.exitValue(), () -> "mvn exec:help failed: " + read(log));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    @Test
    @Order(1)
    void theReadmesDemoCommandServesWsgi1AndItsReportCommandReadsThePointsBack() throws Exception {
        Path log = checkout.resolve("demo.log");
        long reported = -1;
        Process demo = start(RUN_THE_DEMO, log);
        try {
            String started = awaitBanner(demo, log);
            assertTrue(started.contains("No InfluxDB answers at http://localhost:8086: starting a private one"), started);
            assertTrue(started.contains("Application        : wsgi-1"), started);

            sendTraffic(40, 5);
            String report = awaitReportCounting(40);
            assertTrue(report.contains("time (UTC)   requests/s    mean (ms)     p95 (ms)"), report);
            reported = totalIn(report);
        } finally {
            String stopped = stop(demo, log);
            long served = StopLine.in(stopped).assertOnePointPerRequestServed(40).served();
            assertEquals(served, reported, "the report's total, against the requests served");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {RUN_WSGI_2, RUN_WSGI_2_SHORT})
    @Order(2)
    void theDocsWsgi2CommandsServeTheLazyVariant(String command) throws Exception {
        Path log = checkout.resolve("wsgi-2.log");
        Process demo = start(command, log);
        try {
            String started = awaitBanner(demo, log);
            assertTrue(started.contains("Application        : wsgi-2"), started);
            assertTrue(started.contains("Request log        : " + (command.contains("--log-to-terminal") ? "terminal" : "off")),
                    started);
            sendTraffic(5, 5);
        } finally {
            StopLine.in(stop(demo, log)).assertOnePointPerRequestServed(5);
        }
    }

    @Test
    @Order(3)
    void theDocsTagPathCommandTagsEachRequestByItsPath() throws Exception {
        Path log = checkout.resolve("tag-path.log");
        Process demo = start(RUN_TAG_PATH, log);
        try {
            String started = awaitBanner(demo, log);
            assertTrue(started.contains("Application        : wsgi-1 (io.rawmetrics.demo.HelloWorld1ByPath)"), started);
            assertTrue(started.contains("Tags               : path, at most 100 distinct (rawmetrics.max-tag-values)"), started);
            sendTraffic(10, 5);
        } finally {
            StopLine.in(stop(demo, log)).assertOnePointPerRequestServed(10);
        }
    }

    @Test
    @Order(3)
    void theDocsAggregatedCommandsWriteAndReportTheWorkshopsRequestMetrics() throws Exception {
        Path log = checkout.resolve("aggregated.log");
        Process demo = start(RUN_AGGREGATED, log);
        try {
            String started = awaitBanner(demo, log);
            assertTrue(started.contains("Metrics            : aggregated"), started);
            assertTrue(started.contains("Measurements       : request-metrics and function-metrics, written every 1000 ms"), started);
            sendTraffic(20, 5);
            String report = awaitReportCounting(20, REPORT_AGGREGATED);
            assertTrue(report.contains("Request Metrics, last 60 s"), report);
            assertTrue(report.contains("io.rawmetrics.demo.HelloWorld2.application (ok)"), report);
        } finally {
            String stopped = stop(demo, log);
            long served = StopLine.in(stopped).served();
            assertTrue(served >= 20, stopped);
            assertTrue(stopped.contains("requests aggregated: " + served + ", in aggregates written: " + served), stopped);
        }
    }

    @Test
    @Order(4)
    void theDocsDashboardCommandServesTheDemosPointsOnPort3000() throws Exception {
        Path log = checkout.resolve("both.log");
        Process demo = start(RUN_WSGI_2_SHORT, log);
        Path dashboardLog = checkout.resolve("dashboard.log");
        Process dashboard = null;
        try {
            String started = awaitBanner(demo, log);
            assertTrue(started.contains("Dashboard          : " + HelloWorldV2.DASHBOARD_COMMAND + " serves http://localhost:3000/"),
                    started);
            dashboard = start(DASHBOARD, dashboardLog);
            String banner = awaitBanner(dashboard, dashboardLog);
            assertTrue(banner.contains("Dashboard URL      : http://localhost:3000/"), banner);
            sendTraffic(10, 5);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String answer;
            do {
                answer = probe("http://localhost:3000/api/dashboards/raw-requests?range=60");
            } while (!answer.contains("\"empty\":false") && System.nanoTime() < deadline);
            assertTrue(answer.startsWith("HTTP 200") && answer.contains("\"empty\":false"), answer);
            assertTrue(probe("http://localhost:3000/").contains("<title>rawmetrics dashboard</title>"));
        } finally {
            if (dashboard != null) {
                stop(dashboard, dashboardLog);
            }
            stop(demo, log);
        }
    }

    /** An HTTP GET from where the commands run (inside the private network, if there is one). */
    private static String probe(String url) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DashboardProbe.class.getName(), url);
        Path out = checkout.resolve("probe.log");
        Process probe = new ProcessBuilder(network == null ? command : network.enter(command))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(probe.waitFor(2, TimeUnit.MINUTES), "the probe finishes");
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Runs the report command until it counts {@code requests} (points are written once a second). */
    private static String awaitReportCounting(int requests) throws Exception {
        return awaitReportCounting(requests, REPORT);
    }

    private static String awaitReportCounting(int requests, String command) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String report;
        do {
            Path out = checkout.resolve("report.log");
            Process process = start(command, out);
            assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the report command finishes");
            report = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), report);
        } while (totalIn(report) < requests && System.nanoTime() < deadline);
        assertTrue(totalIn(report) >= requests, report);
        return report;
    }

    /** The requests a report counts ({@code total: N requests}), or -1 if it has no total. */
    private static long totalIn(String report) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("total: (\\d+) requests").matcher(report);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static boolean portsFree() {
        for (int port : new int[] {8000, 8086}) {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Requests to the demo, from where it runs: inside the private network, from a process of its own. */
    private static void sendTraffic(int requests, int clients) throws Exception {
        if (network == null) {
            DemoTraffic.send(DEMO, requests, clients);
            return;
        }
        Path out = checkout.resolve("traffic.log");
        Process traffic = new ProcessBuilder(network.enter(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DemoTraffic.class.getName(),
                DEMO.toString(), String.valueOf(requests), String.valueOf(clients))))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(traffic.waitFor(2, TimeUnit.MINUTES), "the traffic finishes");
        String said = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, traffic.exitValue(), said);
        assertTrue(said.contains("sent " + requests + " requests"), said);
    }

    private static Process start(String commandLine, Path output) throws IOException {
        List<String> command = network == null ? words(commandLine) : network.enter(words(commandLine));
        return new ProcessBuilder(command).directory(checkout.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** Splits a command line as a shell would, for the double quotes these commands use. */
    static List<String> words(String commandLine) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (char c : commandLine.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        words.add(word.toString());
        return words;
    }

    private static String awaitBanner(Process demo, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos(); // the first command builds four modules
        while (!Files.readString(log).contains("Stop with Ctrl-C.")) {
            if (!demo.isAlive() || System.nanoTime() > deadline) {
                demo.destroyForcibly();
                throw new AssertionError("the demo did not start:\n" + Files.readString(log));
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll the log again, until the deadline
        }
        return Files.readString(log);
    }

    /** SIGTERM to Maven's JVM (the mvn script execs it), as Ctrl-C: the demo's shutdown hook runs. */
    private static String stop(Process demo, Path log) throws Exception {
        demo.destroy();
        if (!demo.waitFor(60, TimeUnit.SECONDS)) {
            demo.destroyForcibly();
            throw new AssertionError("the demo did not stop:\n" + Files.readString(log));
        }
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}

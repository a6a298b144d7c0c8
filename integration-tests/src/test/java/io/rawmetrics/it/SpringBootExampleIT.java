package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/spring-boot} as a Spring Boot user has it: an application as start.spring.io
 * makes it (web and actuator) plus the rawmetrics starter and the ajc plugin, configured in
 * {@code application.properties}. Built by a real {@code mvn} (whose test phase runs the example's
 * {@code @SpringBootTest} against the real influxd), run with {@code java -jar} or {@code mvn
 * spring-boot:run}, on Spring Boot 3.5 and 4.0; loaded with 1,000 requests on each of three
 * endpoints (a plain one binding a parameter by name, one that throws and maps to 500, one that
 * returns a {@code CompletableFuture}), then stopped with SIGTERM while one more request is in
 * flight: every request Tomcat served is a point per function and outcome, exactly.
 */
class SpringBootExampleIT {

    private static final int REQUESTS = 1000;
    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final String BOOT_3 = "3.5.7";
    private static final String BOOT_4 = "4.0.7";

    @TempDir
    Path work;

    @Test
    void everyServedRequestIsAPointWithJavaJarOnBoot3() throws Exception {
        everyServedRequestIsAPoint(BOOT_3, false);
    }

    @Test
    void everyServedRequestIsAPointWithSpringBootRun() throws Exception {
        everyServedRequestIsAPoint(BOOT_3, true);
    }

    @Test
    void everyServedRequestIsAPointWithJavaJarOnBoot4() throws Exception {
        everyServedRequestIsAPoint(BOOT_4, false);
    }

    /**
     * {@code java -jar}, stopped by SIGTERM at varied moments, run after run (issue 34: a path proven
     * once is proven by luck): right after the first request, inside the first flush interval,
     * after a burst, and after several flush intervals of steady requests. Every request Tomcat
     * served is a point, every run; {@code integration-tests/run-paths.sh} runs it 25 times.
     */
    @Test
    void javaJarStoppedBySigtermAtVariedMomentsWritesEveryServedRequestEveryRun() throws Exception {
        int runs = Integer.getInteger("rawmetrics.it.runs", RunPathsIT.DEFAULT_RUNS);
        List<String> endings = List.of("1", "50", "500", "2500ms", "1");
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary()) {
            Path project = project(BOOT_3);
            configure(project, influxd.url().toString(), InfluxdProcess.freePort());
            ExampleProjects.mvn(project, Map.of(), "-B", "package", "-DskipTests");
            HttpClient http = HttpClient.newHttpClient();
            List<String> failures = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                String ending = endings.get(run % endings.size());
                String database = "sigterm_" + run;
                Path access = work.resolve("access-" + run);
                App app = App.start(project, work.resolve("sigterm-" + run + ".log"), List.of(Jdks.running().java().toString(),
                        "-jar", project.resolve("target/spring-boot-shop-1.0.jar").toString(),
                        "--rawmetrics.influxdb.database=" + database, "--server.tomcat.accesslog.directory=" + access));
                try {
                    long until = ending.endsWith("ms")
                            ? System.nanoTime() + Long.parseLong(ending.substring(0, ending.length() - 2)) * 1_000_000 : 0;
                    int requests = ending.endsWith("ms") ? Integer.MAX_VALUE : Integer.parseInt(ending);
                    for (int i = 0; i < requests && (until == 0 || System.nanoTime() - until < 0); i++) {
                        assertEquals("Hello " + i + "!", get(http, app.url("/hello?name=" + i)).body());
                    }
                } finally {
                    app.stop(); // SIGTERM, and waits for the end
                }
                long served = served(access).getOrDefault("GET /hello 200", 0L);
                long stored;
                try (PointsInInflux influx = new PointsInInflux(influxd, database)) {
                    stored = points(influx, "hello", "ok");
                } catch (AssertionError e) {
                    stored = 0; // not even the database was created
                }
                String out = app.log();
                if (stored != served || out.lines().anyMatch(SpringBootExampleIT::rawmetricsWarnsOrFails)) {
                    failures.add("run " + (run + 1) + " (ending " + ending + "): " + stored + " points of " + served
                            + " requests served:\n" + out);
                }
            }
            System.out.println("run-paths: spring_boot_java_jar_sigterm on Java " + Runtime.version().feature() + ": "
                    + (runs - failures.size()) + " of " + runs + " runs stored every call");
            assertTrue(failures.isEmpty(), failures.size() + " of " + runs + " runs failed:\n" + String.join("\n", failures));
        }
    }

    @Test
    void aDevtoolsRestartStopsTheRecorderWritingItsPointsAndTheRestartedContextRecordsAgain() throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "shop")) {
            Path project = project(BOOT_3);
            configure(project, influxd.url().toString(), InfluxdProcess.freePort());
            String web = "<artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n";
            ExampleProjects.replaceIn(project.resolve("pom.xml"), web, web + "    <dependency>\n"
                    + "      <groupId>org.springframework.boot</groupId>\n"
                    + "      <artifactId>spring-boot-devtools</artifactId>\n      <optional>true</optional>\n"
                    + "    </dependency>\n");
            // javac, then ajc, write the classes a few seconds apart: one restart for both.
            Files.writeString(project.resolve("src/main/resources/application.properties"),
                    "\nspring.devtools.restart.poll-interval=4s\nspring.devtools.restart.quiet-period=3s\n",
                    java.nio.file.StandardOpenOption.APPEND);
            ExampleProjects.mvn(project, Map.of(), "-B", "compile");
            Path log = work.resolve("devtools.log");
            App app = App.springBootRun(project, log);
            HttpClient http = HttpClient.newHttpClient();
            try {
                for (int i = 0; i < 50; i++) {
                    assertEquals("Hello before!", get(http, app.url("/hello?name=before")).body());
                }
                // What a developer's IDE does on saving: the classes change, devtools restarts the context.
                Path controller = project.resolve("src/main/java/com/example/shop/GreetingController.java");
                Files.setLastModifiedTime(controller, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
                ExampleProjects.mvn(project, Map.of(), "-B", "compile");
                awaitOccurrences(app, log, "Started ShopApplication", 2);
                for (int i = 0; i < 50; i++) {
                    assertEquals("Hello after!", get(http, app.url("/hello?name=after")).body());
                }
            } finally {
                app.stop();
            }
            String out = app.log();
            assertTrue(out.contains("Restarting due to"), out);
            assertEquals(2, out.split("rawmetrics: recording timed calls to InfluxDB", -1).length - 1, out);
            assertEquals(100, points(influx, "hello", "ok"), "50 before the restart, written when it stopped the"
                    + " recorder, and 50 after:\n" + out);
            assertFalse(out.lines().anyMatch(SpringBootExampleIT::rawmetricsWarnsOrFails), out);
        }
    }

    @Test
    void withInfluxDbDownTheApplicationStaysUpItsRawmetricsGroupSaysWhyAndTheLossIsInItsLog() throws Exception {
        Path project = project(BOOT_3);
        int closedPort = InfluxdProcess.freePort();
        configure(project, "http://127.0.0.1:" + closedPort, InfluxdProcess.freePort());
        ExampleProjects.mvn(project, Map.of(), "-B", "package", "-DskipTests");
        App app = App.javaJar(project, work.resolve("down.log"));
        try {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 20; i++) {
                assertEquals("Hello down!", get(http, app.url("/hello?name=down")).body());
            }
            HttpResponse<String> group = awaitStatus(http, app.url("/actuator/health/rawmetrics"), 503);
            assertTrue(group.body().contains("\"status\":\"DOWN\"") && group.body().contains("\"rawmetricsWriter\"")
                    && group.body().contains("Failed to connect to /127.0.0.1:" + closedPort), group.body());
            HttpResponse<String> health = get(http, app.url("/actuator/health"));
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
            assertEquals(200, get(http, app.url("/actuator/health/liveness")).statusCode());
            assertEquals(200, get(http, app.url("/actuator/health/readiness")).statusCode());
            String recorded = get(http, app.url("/actuator/metrics/rawmetrics.calls.recorded")).body();
            assertTrue(recorded.contains("\"value\":20.0"), recorded);
            String buffered = get(http, app.url("/actuator/metrics/rawmetrics.calls.buffered")).body();
            assertTrue(buffered.contains("\"value\":20.0"), buffered);
        } finally {
            app.stop();
        }
        String log = app.log();
        assertTrue(log.lines().anyMatch(line -> line.contains(" WARN ") && line.contains("io.rawmetrics")
                && line.contains("rawmetrics: of 20 calls recorded, 20 calls were not written to http://127.0.0.1:" + closedPort)),
                "the loss summary, in the application's log format:\n" + log);
    }

    @Test
    void withoutParametersForAjcTheRequestsBindingByNameFailAndTheStartSaysWhy() throws Exception {
        Path project = project(BOOT_3);
        configure(project, "http://127.0.0.1:" + InfluxdProcess.freePort(), InfluxdProcess.freePort());
        ExampleProjects.replaceIn(project.resolve("pom.xml"), "<parameters>true</parameters>", "");
        ExampleProjects.mvn(project, Map.of(), "-B", "package", "-DskipTests");
        App app = App.javaJar(project, work.resolve("no-parameters.log"));
        try {
            assertEquals(500, get(HttpClient.newHttpClient(), app.url("/hello?name=x")).statusCode());
        } finally {
            app.stop();
        }
        String log = app.log();
        assertTrue(log.lines().anyMatch(line -> line.contains(" WARN ") && line.contains("io.rawmetrics") && line.contains(
                "rawmetrics: com.example.shop.GreetingController was compiled without -parameters, and hello, order, slow"
                + " bind request values by their parameters' names")), log);
    }

    @Test
    void withLog4j2TheApplicationsLevelsAndFormatApply() throws Exception {
        Path project = project(BOOT_3);
        int closedPort = InfluxdProcess.freePort();
        configure(project, "http://127.0.0.1:" + closedPort, InfluxdProcess.freePort());
        // Log4j2 in place of Logback, as Spring Boot's documentation has it, and the library's INFO lines off.
        String exclusion = "\n      <exclusions>\n        <exclusion>\n          <groupId>org.springframework.boot</groupId>\n"
                + "          <artifactId>spring-boot-starter-logging</artifactId>\n        </exclusion>\n      </exclusions>";
        for (String starter : List.of("spring-boot-starter-web", "spring-boot-starter-actuator")) {
            ExampleProjects.replaceIn(project.resolve("pom.xml"), "<artifactId>" + starter + "</artifactId>",
                    "<artifactId>" + starter + "</artifactId>" + exclusion);
        }
        ExampleProjects.replaceIn(project.resolve("pom.xml"), "  <dependencies>\n    <dependency>",
                "  <dependencies>\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n"
                + "      <artifactId>spring-boot-starter-log4j2</artifactId>\n    </dependency>\n    <dependency>");
        Files.writeString(project.resolve("src/main/resources/application.properties"), "\nlogging.level.io.rawmetrics=WARN\n",
                java.nio.file.StandardOpenOption.APPEND);
        ExampleProjects.mvn(project, Map.of(), "-B", "package", "-DskipTests");
        App app = App.javaJar(project, work.resolve("log4j2.log"));
        try {
            assertEquals("Hello log4j2!", get(HttpClient.newHttpClient(), app.url("/hello?name=log4j2")).body());
        } finally {
            app.stop();
        }
        String log = app.log();
        // Log4j2's format in Spring Boot abbreviates the logger's name: "i.rawmetrics" (Logback's keeps it whole).
        assertTrue(log.lines().anyMatch(line -> line.contains(" WARN ") && line.contains(" i.rawmetrics ")
                && line.contains("rawmetrics: of 1 calls recorded, 1 call was not written to http://127.0.0.1:" + closedPort)),
                log);
        assertFalse(log.contains("rawmetrics: recording timed calls"), "the INFO line, below the level set:\n" + log);
    }

    @Test
    void aTestRunWithInfluxDbDownShowsTheLossInMavensOutput() throws Exception {
        Path project = project(BOOT_3);
        int closedPort = InfluxdProcess.freePort();
        configure(project, "http://127.0.0.1:" + closedPort, InfluxdProcess.freePort());
        String out = ExampleProjects.mvn(project, Map.of(), "-B", "test");
        assertTrue(out.contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), out);
        assertTrue(out.contains("rawmetrics: of 100 calls recorded, 100 calls were not written to http://127.0.0.1:"
                + closedPort), out);
    }

    private void everyServedRequestIsAPoint(String bootVersion, boolean springBootRun) throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "shop");
             PointsInInflux testInflux = new PointsInInflux(influxd, "shop_test")) {
            Path project = project(bootVersion);
            configure(project, influxd.url().toString(), InfluxdProcess.freePort());
            String build = ExampleProjects.mvn(project, Map.of(), "-B", "package");
            assertTrue(build.contains("Join point 'method-execution(java.lang.String com.example.shop.GreetingController"
                    + ".hello(java.lang.String))'"), "ajc wove the controller:\n" + build);
            assertTrue(build.contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), build);
            assertEquals(100, testInflux.count("SELECT count(application_time) FROM \"raw-requests\" WHERE function = "
                    + "'com.example.shop.GreetingController.hello'"), "the @SpringBootTest's calls, in its own database");

            Path log = work.resolve("app.log");
            App app = springBootRun ? App.springBootRun(project, log) : App.javaJar(project, log);
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> inFlight;
            long sentMillis;
            long answeredMillis;
            try {
                for (int i = 0; i < REQUESTS; i++) {
                    assertEquals("Hello " + i + "!", get(http, app.url("/hello?name=" + i)).body());
                    assertEquals(500, get(http, app.url("/orders/" + i)).statusCode());
                    assertEquals("Later!", get(http, app.url("/later")).body());
                }
                HttpResponse<String> group = get(http, app.url("/actuator/health/rawmetrics"));
                assertEquals(200, group.statusCode(), group.body());
                assertTrue(group.body().contains("\"rawmetricsWriter\":{") && group.body().contains("\"lastWrite\":\"20"),
                        "UP, with the last write's time: " + group.body());
                String recorded = get(http, app.url("/actuator/metrics/rawmetrics.calls.recorded")).body();
                assertTrue(recorded.contains("\"name\":\"rawmetrics.calls.recorded\""), recorded);
                sentMillis = System.currentTimeMillis();
                inFlight = http.sendAsync(HttpRequest.newBuilder(app.url("/slow?ms=1500")).build(),
                        HttpResponse.BodyHandlers.ofString());
                ExampleProjects.awaitLogLine(app.process, log, "slow request started", STARTUP);
                app.stop(); // SIGTERM, and waits for the end
                assertEquals("Slow Hello World!", inFlight.get(60, TimeUnit.SECONDS).body(), "finished by the graceful shutdown");
                answeredMillis = System.currentTimeMillis() + 1;
                assertTrue(!app.process.isAlive(), "stopped by SIGTERM");
            } finally {
                app.stop();
            }
            String out = app.log();
            assertTrue(out.contains("Graceful shutdown complete"), out);
            assertTrue(out.lines().anyMatch(line -> line.contains(" INFO ") && line.contains("io.rawmetrics")
                    && line.endsWith("rawmetrics: recording timed calls to InfluxDB at " + influxd.url() + ", database shop, mode raw")),
                    "one line at start, in the application's log format:\n" + out);
            assertFalse(out.lines().anyMatch(SpringBootExampleIT::rawmetricsWarnsOrFails), out);

            Map<String, Long> served = served(project.resolve("access"));
            assertTrue(served.getOrDefault("GET /hello 200", 0L) >= REQUESTS, served.toString());
            assertEquals(served.get("GET /hello 200"), points(influx, "hello", "ok"), out);
            assertEquals(served.get("GET /orders 500"), points(influx, "order", "error"), out);
            assertEquals(served.get("GET /later 200"), points(influx, "later", "ok"), out);
            assertEquals(1, points(influx, "slow", "ok"), "the request in flight: " + out);
            // Its time and duration against this test's clock (the same machine's): it ran at least
            // its 1.5 s, within the request's round trip, and ended between the two.
            PointsInInflux.TimeAndValue slow = influx.timesAndValues("SELECT application_time FROM \"raw-requests\""
                    + " WHERE function = 'com.example.shop.GreetingController.slow'").get(0);
            double roundTrip = (answeredMillis - sentMillis) / 1e3;
            assertTrue(slow.value() >= 1.5 && slow.value() <= roundTrip, slow.value() + " s, round trip " + roundTrip + " s");
            assertTrue(slow.time() >= (sentMillis + 1500) * 1_000_000L && slow.time() <= answeredMillis * 1_000_000L,
                    "ended at " + slow.time() + ", sent at " + sentMillis + " ms, answered by " + answeredMillis + " ms");
            // A CompletableFuture is timed until it completes, 5 ms after the method returned it.
            double fastestLater = influx.timesAndValues("SELECT min(application_time) FROM \"raw-requests\""
                    + " WHERE function = 'com.example.shop.GreetingController.later'").get(0).value();
            assertTrue(fastestLater >= 0.005, "the quickest /later took " + fastestLater + " s");
        }
    }

    private Path project(String bootVersion) throws Exception {
        Path project = ExampleProjects.copyProject(Path.of("..", "examples", "spring-boot"),
                Files.createDirectories(work.resolve("boot-" + bootVersion)));
        if (!bootVersion.equals(BOOT_3)) {
            ExampleProjects.replaceIn(project.resolve("pom.xml"), "<version>" + BOOT_3 + "</version>",
                    "<version>" + bootVersion + "</version>");
        }
        return project;
    }

    /**
     * Points the copied example's {@code application.properties} (main and test) at {@code url},
     * as a user edits them, and adds what this test reads: its port, and Tomcat's access log, which
     * says what the server served (the JDK's HttpClient may send a GET again on its own when a
     * kept-alive connection is reset, and that is a call too).
     */
    static void configure(Path project, String url, int port) throws Exception {
        String local = "rawmetrics.influxdb.url=http://localhost:8086";
        ExampleProjects.replaceIn(project.resolve("src/main/resources/application.properties"), local,
                "rawmetrics.influxdb.url=" + url + "\nserver.port=" + port
                + "\nserver.tomcat.accesslog.enabled=true\nserver.tomcat.accesslog.directory=" + project.resolve("access")
                + "\nserver.tomcat.accesslog.buffered=false\nserver.tomcat.accesslog.pattern=%m %U %s");
        ExampleProjects.replaceIn(project.resolve("src/test/resources/application.properties"), local,
                "rawmetrics.influxdb.url=" + url);
    }

    /** Points of {@code method} with {@code outcome}; those of {@code hello} only with the tag its composed annotation ({@code @WebRequest}) gives. */
    private static long points(PointsInInflux influx, String method, String outcome) {
        return influx.count("SELECT count(application_time) FROM \"raw-requests\" WHERE function = "
                + "'com.example.shop.GreetingController." + method + "' AND outcome = '" + outcome + "'"
                + (method.equals("hello") ? " AND layer = 'web'" : ""));
    }

    /** What Tomcat's access log says it served, as "GET /hello 200" (the path's first segment) to a count. */
    static Map<String, Long> served(Path accessLogs) throws Exception {
        Map<String, Long> served = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(accessLogs)) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = line.split(" ");
                    String path = "/" + parts[1].split("/")[1];
                    served.merge(parts[0] + " " + path + " " + parts[2], 1L, Long::sum);
                }
            }
        }
        return served;
    }

    /** A WARN or ERROR line of the application's log from the library's logger. */
    static boolean rawmetricsWarnsOrFails(String line) {
        return line.contains(" io.rawmetrics ") && (line.contains(" WARN ") || line.contains(" ERROR "));
    }

    /** Polls the log until {@code text} is in it {@code times} times. */
    private static void awaitOccurrences(App app, Path log, String text, int times) throws Exception {
        assertTrue(Await.until(STARTUP, () -> !app.process.isAlive()
                || Files.readString(log, StandardCharsets.UTF_8).split(Pattern.quote(text), -1).length - 1 >= times)
                && app.process.isAlive(), () -> times + " times '" + text + "' not seen:\n" + readQuietly(log));
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    static HttpResponse<String> get(HttpClient http, URI url) throws Exception {
        return http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> awaitStatus(HttpClient http, URI url, int status) throws Exception {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        Await.until(Duration.ofSeconds(30), () -> {
            last.set(get(http, url));
            return last.get().statusCode() == status;
        });
        assertEquals(status, last.get().statusCode(), last.get().body());
        return last.get();
    }

    /** The example running, started the way a user starts it. */
    record App(Process process, Path logFile, int port) {

        static App javaJar(Path project, Path log) throws Exception {
            return start(project, log, List.of(Jdks.running().java().toString(), "-jar",
                    project.resolve("target/spring-boot-shop-1.0.jar").toString()));
        }

        /** {@code mvn spring-boot:run}: Maven forks the application's JVM, and passes SIGTERM on to it. */
        static App springBootRun(Path project, Path log) throws Exception {
            return start(project, log, List.of("mvn", "-B", "-Daspectj.version=" + Jdks.running().aspectjVersion(),
                    "spring-boot:run"));
        }

        static App start(Path project, Path log, List<String> command) throws Exception {
            return start(project, log, command, "Started ShopApplication");
        }

        /** Starts {@code command} in {@code project}, whose port is in its properties, and waits for {@code started} in its log. */
        static App start(Path project, Path log, List<String> command, String started) throws Exception {
            String properties = Files.readString(project.resolve("src/main/resources/application.properties"));
            int port = Integer.parseInt(properties.replaceAll("(?s).*server\\.port=(\\d+).*", "$1"));
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(project.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", Jdks.running().home().toString());
            Process process = builder.start();
            ExampleProjects.awaitLogLine(process, log, started, STARTUP);
            return new App(process, log, port);
        }

        URI url(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        String log() throws Exception {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        }

        /**
         * SIGTERM to the process and every process it started (as Ctrl-C reaches Maven and the
         * application it forked), then waits until all have ended: the application writes its last
         * points while it ends.
         */
        void stop() throws Exception {
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroy);
            for (ProcessHandle handle : all) {
                try {
                    handle.onExit().get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    handle.destroyForcibly();
                }
            }
        }
    }
}

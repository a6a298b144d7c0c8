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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/spring-boot}: a Spring Boot 3 web application whose {@code @RestController}
 * method is annotated {@code @FunctionCall} and woven by ajc at build time (no Spring AOP). Built
 * by a real {@code mvn}, run with {@code java -jar}, loaded with N requests and stopped with
 * SIGTERM while one more request is in flight (Spring's graceful shutdown lets it finish, then a
 * bean stops rawmetrics): a point per request Tomcat served, the one in flight too, in a real influxd,
 * and not a word from rawmetrics.
 */
class SpringBootExampleIT {

    private static final int REQUESTS = 2000;
    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path work;

    @Test
    void everyRequestIsAPointAfterAGracefulShutdownBySigtermEvenOneInFlight() throws Exception {
        Path project = ExampleProjects.copy("spring-boot", work);
        String build = ExampleProjects.build(project);
        assertTrue(build.contains("Join point 'method-execution(java.lang.String com.example.shop.GreetingController.hello())'"),
                "ajc wove the controller:\n" + build);

        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "shop")) {
            int port = InfluxdProcess.freePort();
            Path log = work.resolve("app.log");
            Path accessLogs = work.resolve("access");
            // Tomcat's access log says what the server served: the JDK's HttpClient may send a GET
            // again on its own when a kept-alive connection is reset, and that is a call too.
            Process app = new ProcessBuilder(Jdks.running().java().toString(),
                    "-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=shop",
                    "-jar", project.resolve("target/spring-boot-shop-1.0.jar").toString(), "--server.port=" + port,
                    "--server.tomcat.accesslog.enabled=true", "--server.tomcat.accesslog.directory=" + accessLogs,
                    "--server.tomcat.accesslog.buffered=false", "--server.tomcat.accesslog.pattern=%r %s")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                ExampleProjects.awaitLogLine(app, log, "Started ShopApplication", STARTUP);
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest hello = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build();
                for (int i = 0; i < REQUESTS; i++) {
                    HttpResponse<String> response = http.send(hello, HttpResponse.BodyHandlers.ofString());
                    assertEquals("Hello World!", response.body());
                }

                CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/slow?ms=1500")).build(), HttpResponse.BodyHandlers.ofString());
                ExampleProjects.awaitLogLine(app, log, "slow request started", STARTUP);

                app.destroy(); // SIGTERM
                assertEquals("Slow Hello World!", inFlight.get(60, TimeUnit.SECONDS).body(), "finished by the graceful shutdown");
                assertTrue(app.waitFor(60, TimeUnit.SECONDS), "stopped by SIGTERM");
            } finally {
                app.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(out.contains("Graceful shutdown complete"), out);

            long served = servedHello(accessLogs);
            assertTrue(served >= REQUESTS, "served " + served + " of the " + REQUESTS + " requests sent");
            assertEquals(served, influx.count("SELECT count(application_time) FROM \"raw-requests\" "
                    + "WHERE function = 'com.example.shop.GreetingController.hello'"), out);
            assertEquals(1, influx.count("SELECT count(application_time) FROM \"raw-requests\" "
                    + "WHERE function = 'com.example.shop.GreetingController.slow'"), "the request in flight: " + out);
            assertFalse(out.contains("rawmetrics"), out);
            for (String line : out.lines().toList()) {
                assertFalse(line.contains(" WARN ") || line.contains(" ERROR "), line);
            }
        }
    }

    /** The {@code GET /hello} requests Tomcat's access log says it answered with 200. */
    private static long servedHello(Path accessLogs) throws Exception {
        long served = 0;
        try (java.util.stream.Stream<Path> files = Files.list(accessLogs)) {
            for (Path file : files.toList()) {
                served += Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .filter(line -> line.equals("GET /hello HTTP/1.1 200")).count();
            }
        }
        return served;
    }
}

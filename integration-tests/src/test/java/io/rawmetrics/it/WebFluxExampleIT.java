package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/webflux}: a Spring Boot 3.5 WebFlux application whose controller returns the Mono
 * and Flux of services timed with {@code @FunctionCall}, built by a real {@code mvn} with ajc, run
 * with {@code java -jar}, loaded by 10 clients at once, then under siege (10 users, 30 requests
 * each, no delay), and stopped with SIGTERM: each request the
 * server answered is one point, timed until its Mono or Flux ended (at least its delay), a failed
 * one an {@code error} with its exception.
 */
class WebFluxExampleIT {

    private static final String SERVICE = "com.example.quotes.QuoteService.";
    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path work;

    @Test
    void eachRequestServedIsOnePointTimedToTheEndOfItsMonoOrFlux() throws Exception {
        Path project = ExampleProjects.copy("webflux", work);
        String build = ExampleProjects.build(project);
        assertTrue(build.contains("Join point 'method-execution(reactor.core.publisher.Mono "
                + "com.example.quotes.QuoteService.price(java.lang.String))'"), "ajc wove the service:\n" + build);

        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "quotes")) {
            int port = InfluxdProcess.freePort();
            Path log = work.resolve("app.log");
            // Reactor Netty's access log says what the server answered: a client may send a GET again.
            Process app = new ProcessBuilder(Jdks.running().java().toString(),
                    "-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=quotes",
                    "-Dreactor.netty.http.server.accessLogEnabled=true",
                    "-jar", project.resolve("target/webflux-quotes-1.0.jar").toString(), "--server.port=" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                ExampleProjects.awaitLogLine(app, log, "Started QuotesApplication", STARTUP);
                URI base = URI.create("http://127.0.0.1:" + port);
                load(base, "/price/ACME", 300, 200, "ACME 101.25");
                load(base, "/delisted/OLD", 60, 410, "OLD is delisted");
                load(base, "/ticks/ACME", 60, 200, "ACME tick 0ACME tick 1ACME tick 2");
                siege(base.resolve("/price/ACME"), 10, 30);
                app.destroy(); // SIGTERM
                assertTrue(app.waitFor(60, TimeUnit.SECONDS), "stopped by SIGTERM");
            } finally {
                app.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);

            assertEachServedIsAPoint(influx, out, "price", "/price/ACME", 200, "ok", 0.050);
            List<Map<String, Object>> delisted = assertEachServedIsAPoint(influx, out, "delisted", "/delisted/OLD", 410,
                    "error", 0.020);
            assertEquals("java.lang.IllegalStateException", delisted.get(0).get("exception"));
            assertEachServedIsAPoint(influx, out, "ticks", "/ticks/ACME", 200, "ok", 0.030);
        }
    }

    /** Sends {@code requests} GETs of {@code path} from 10 threads; each must answer {@code status} and {@code body}. */
    private static void load(URI base, String path, int requests, int status, String body) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build();
        ExecutorService clients = Executors.newFixedThreadPool(10);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                answers.add(clients.submit(() -> http.send(get, HttpResponse.BodyHandlers.ofString())));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertEquals(status, response.statusCode(), path);
                assertEquals(body, response.body(), path);
            }
        } finally {
            clients.shutdown();
        }
    }

    /**
     * Puts the app under siege, as the workshop does: {@code clients} concurrent users, each sending
     * {@code repetitions} requests without delay (siege's {@code -r}: an exact count, where {@code -t}
     * would stop counting the requests in flight when its time is up). Needs Debian's {@code siege}.
     */
    private void siege(URI url, int clients, int repetitions) throws Exception {
        Path home = Files.createDirectories(work.resolve("siege-home")); // siege writes its settings under $HOME
        ProcessBuilder command = new ProcessBuilder("siege", "-b", "-j", "-c", String.valueOf(clients),
                "-r", String.valueOf(repetitions), url.toString()).redirectErrorStream(true);
        command.environment().put("HOME", home.toString());
        Process siege;
        try {
            siege = command.start();
        } catch (java.io.IOException e) {
            throw new AssertionError("siege is needed for this test (Debian: apt-get install -y siege; .ci/run installs it)", e);
        }
        String out = new String(siege.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(siege.waitFor(120, TimeUnit.SECONDS), "siege ended:\n" + out);
        assertTrue(out.matches("(?s).*\"transactions\":\\s+" + clients * repetitions + ",.*"), "every request answered:\n" + out);
        assertTrue(out.matches("(?s).*\"failed_transactions\":\\s+0\\b.*"), "none failed:\n" + out);
    }

    private static List<Map<String, Object>> assertEachServedIsAPoint(PointsInInflux influx, String log, String method,
            String path, int status, String outcome, double atLeastSeconds) {
        long served = log.lines().filter(line -> line.contains("\"GET " + path + " HTTP/1.1\" " + status + " ")).count();
        List<Map<String, Object>> points = influx.pointsOf("raw-requests", SERVICE + method);
        assertTrue(served > 0, "the access log shows " + path + ":\n" + log);
        assertEquals(served, points.size(), method + ": a point per request served");
        for (Map<String, Object> point : points) {
            assertEquals(outcome, point.get("outcome"), point.toString());
            assertTrue((Double) point.get("application_time") >= atLeastSeconds, "timed to its end: " + point);
        }
        return points;
    }
}

package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.SpringBootExampleIT.App;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/spring-boot} run with the real OpenTelemetry Java agent, from Maven Central, and
 * its {@code logging} span exporter, as a user starts it: {@code java -javaagent:... -jar}. Nothing
 * of OpenTelemetry is hand-made: the agent makes the spans, bridges the application's
 * {@code opentelemetry-api} to them, and logs each one it exports. Under load from four clients,
 * every request Tomcat served is a point that carries the trace id the agent logged for that
 * request's server span, and a span id of that trace; all of them are counted, not a sample.
 */
class OpenTelemetryAgentIT {

    /** The agent, copied next to the tests by the build (integration-tests/pom.xml). */
    private static final Path AGENT = Path.of("target", "opentelemetry", "opentelemetry-javaagent.jar");
    /** A span as the logging exporter writes it: {@code 'GET /hello' : <trace id> <span id> SERVER [tracer: ...}. */
    private static final Pattern EXPORTED_SPAN = Pattern.compile(
            "LoggingSpanExporter - '(.*)' : ([0-9a-f]{32}) ([0-9a-f]{16}) ([A-Z]+) \\[tracer: ");
    private static final int CLIENTS = 4;
    private static final int ROUNDS = 150;
    private static final Map<String, String> ROUTE_OF_FUNCTION = Map.of(
            "com.example.shop.GreetingController.hello", "GET /hello",
            "com.example.shop.GreetingController.order", "GET /orders/{id}",
            "com.example.shop.GreetingController.later", "GET /later");

    @TempDir
    Path work;

    @Test
    void everyRequestsPointCarriesTheTraceIdTheAgentLoggedForItsServerSpan() throws Exception {
        assertTrue(Files.isRegularFile(AGENT), AGENT.toAbsolutePath() + ": the build copies the agent there");
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "shop")) {
            Path project = ExampleProjects.copyProject(Path.of("..", "examples", "spring-boot"), work);
            SpringBootExampleIT.configure(project, influxd.url().toString(), InfluxdProcess.freePort());
            ExampleProjects.mvn(project, Map.of(), "-B", "package", "-DskipTests");
            Path log = work.resolve("app.log");
            App app = App.start(project, log, List.of(Jdks.running().java().toString(),
                    "-javaagent:" + AGENT.toAbsolutePath(), "-Dotel.service.name=shop",
                    "-Dotel.traces.exporter=logging", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
                    "-Dotel.bsp.schedule.delay=100",
                    "-jar", project.resolve("target/spring-boot-shop-1.0.jar").toString()));
            try {
                load(app);
                // Each server span is exported once its response is sent: wait until all are logged.
                Path access = project.resolve("access");
                assertTrue(Await.until(Duration.ofSeconds(60), () -> {
                    long served = SpringBootExampleIT.served(access).values().stream().mapToLong(Long::longValue).sum();
                    return serverSpans(Files.readString(log, StandardCharsets.UTF_8)).values().stream()
                            .mapToInt(Set::size).sum() >= served;
                }), "the agent logged a server span for every request served");
            } finally {
                app.stop();
            }
            String out = app.log();
            assertFalse(out.lines().anyMatch(SpringBootExampleIT::rawmetricsWarnsOrFails), out);
            Map<String, Set<String>> tracesOfRoute = serverSpans(out);
            Map<String, Set<String>> spansOfTrace = spansOfTraces(out);
            Map<String, Long> served = SpringBootExampleIT.served(project.resolve("access"));

            Map<String, List<String>> tracesOfFunction = new HashMap<>();
            int points = 0;
            for (Map<String, Object> row : influx.select(
                    "SELECT \"function\", \"trace_id\", \"span_id\" FROM \"raw-requests\"")) {
                String function = (String) row.get("function");
                String traceId = (String) row.get("trace_id");
                String spanId = (String) row.get("span_id");
                assertNotNull(traceId, "a point without a trace id: " + row);
                assertTrue(spansOfTrace.getOrDefault(traceId, Set.of()).contains(spanId),
                        "span " + spanId + " is not a span the agent logged in trace " + traceId);
                tracesOfFunction.computeIfAbsent(function, f -> new ArrayList<>()).add(traceId);
                points++;
            }
            assertEquals(ROUTE_OF_FUNCTION.keySet(), tracesOfFunction.keySet());
            for (Map.Entry<String, String> function : ROUTE_OF_FUNCTION.entrySet()) {
                List<String> traces = tracesOfFunction.get(function.getKey());
                Set<String> serverTraces = tracesOfRoute.get(function.getValue());
                assertEquals(serverTraces, new HashSet<>(traces), function.getKey() + ": the points' traces, against "
                        + function.getValue() + "'s server spans");
                assertEquals(serverTraces.size(), traces.size(), function.getKey() + ": one point per trace");
            }
            assertEquals((long) CLIENTS * ROUNDS, served.get("GET /hello 200"));
            assertEquals(3L * CLIENTS * ROUNDS, points, "every request served, and no other, is a point: " + served);
            System.out.println("opentelemetry-agent: " + points + " points, each with its server span's trace id");
        }
    }

    /** {@value #CLIENTS} clients, {@value #ROUNDS} rounds each of the three endpoints. */
    private static void load(App app) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    HttpClient http = HttpClient.newHttpClient();
                    for (int i = 0; i < ROUNDS; i++) {
                        String name = client + "-" + i;
                        assertEquals("Hello " + name + "!", SpringBootExampleIT.get(http, app.url("/hello?name=" + name)).body());
                        assertEquals(500, SpringBootExampleIT.get(http, app.url("/orders/" + i)).statusCode());
                        assertEquals("Later!", SpringBootExampleIT.get(http, app.url("/later")).body());
                    }
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** The trace ids of the exported server spans, by span name (the route). */
    private static Map<String, Set<String>> serverSpans(String log) {
        Map<String, Set<String>> traces = new HashMap<>();
        Matcher span = EXPORTED_SPAN.matcher(log);
        while (span.find()) {
            if (span.group(4).equals("SERVER")) {
                traces.computeIfAbsent(span.group(1), name -> new HashSet<>()).add(span.group(2));
            }
        }
        return traces;
    }

    /** The span ids of every exported span, by trace id. */
    private static Map<String, Set<String>> spansOfTraces(String log) {
        Map<String, Set<String>> spans = new HashMap<>();
        Matcher span = EXPORTED_SPAN.matcher(log);
        while (span.find()) {
            spans.computeIfAbsent(span.group(2), trace -> new HashSet<>()).add(span.group(3));
        }
        return spans;
    }
}

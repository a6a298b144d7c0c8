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
 * {@code examples/spring-boot} (Tomcat) and {@code examples/webflux} (Reactor on Netty) run with the
 * real OpenTelemetry Java agent, from Maven Central, and its {@code logging} span exporter, as a
 * user starts them: {@code java -javaagent:... -jar}. Nothing of OpenTelemetry is hand-made: the
 * agent makes the spans, bridges the application's {@code opentelemetry-api} to them, and logs each
 * one it exports. Under load from four clients, every request is a point that carries the trace
 * id the agent logged for that request's server span, and a span id of that trace; all of them
 * are counted, not a sample. That includes calls that end later, on another thread: a
 * {@code CompletableFuture}, Reactor's {@code Mono} and {@code Flux}, and Kotlin {@code suspend}
 * functions in an order's {@code @WithSpan} ({@code examples/kotlin}).
 */
class OpenTelemetryAgentIT {

    /** The agent, copied next to the tests by the build (integration-tests/pom.xml). */
    private static final Path AGENT = Path.of("target", "opentelemetry", "opentelemetry-javaagent.jar");
    /** A span as the logging exporter writes it: {@code 'GET /hello' : <trace id> <span id> SERVER [tracer: ...}. */
    private static final Pattern EXPORTED_SPAN = Pattern.compile(
            "LoggingSpanExporter - '(.*)' : ([0-9a-f]{32}) ([0-9a-f]{16}) ([A-Z]+) \\[tracer: ");
    /**
     * The command docs/tracing.md gives. The test runs it as it stands, with the agent's path, the
     * JDK's {@code java}, the example's service name and jar filled in, and the logging exporter's
     * settings added.
     */
    static final String DOCUMENTED_COMMAND =
            "java -javaagent:opentelemetry-javaagent.jar -Dotel.service.name=shop -jar target/spring-boot-shop-1.0.jar";
    private static final int CLIENTS = 4;
    private static final int ROUNDS = 150;

    @TempDir
    Path work;

    /**
     * An example, what its timed functions answer, and the request that reaches each; the agent's
     * settings beyond the exporter's, and whether the library's own writes are then traced.
     */
    private record Example(String directory, String jar, String started, String database,
            Map<String, String> routeOfFunction, List<Endpoint> endpoints, List<String> agentSettings,
            boolean writesTraced) {
    }

    /** What docs/tracing.md says turns off the agent's spans of the library's own writes. */
    private static final List<String> WRITES_NOT_TRACED = List.of("-Dotel.instrumentation.influxdb.enabled=false",
            "-Dotel.instrumentation.okhttp.enabled=false");

    /** A request ({@code %d} is the round), the status it answers, and the route its server span is named by. */
    private record Endpoint(String path, int status) {
    }

    @Test
    void springMvcEveryRequestsPointCarriesTheTraceIdTheAgentLoggedForItsServerSpan() throws Exception {
        everyRequestsPointCarriesItsServerSpansTraceId(new Example("spring-boot", "target/spring-boot-shop-1.0.jar",
                "Started ShopApplication", "shop", Map.of(
                        "com.example.shop.GreetingController.hello", "GET /hello",
                        "com.example.shop.GreetingController.order", "GET /orders/{id}",
                        "com.example.shop.GreetingController.later", "GET /later"),
                List.of(new Endpoint("/hello?name=%d", 200), new Endpoint("/orders/%d", 500), new Endpoint("/later", 200)),
                List.of(), true));
    }

    @Test
    void webFluxEveryRequestsPointCarriesTheTraceIdTheAgentLoggedForItsServerSpan() throws Exception {
        everyRequestsPointCarriesItsServerSpansTraceId(new Example("webflux", "target/webflux-quotes-1.0.jar",
                "Started QuotesApplication", "quotes", Map.of(
                        "com.example.quotes.QuoteService.price", "GET /price/{symbol}",
                        "com.example.quotes.QuoteService.delisted", "GET /delisted/{symbol}",
                        "com.example.quotes.QuoteService.ticks", "GET /ticks/{symbol}"),
                List.of(new Endpoint("/price/S%d", 200), new Endpoint("/delisted/S%d", 410), new Endpoint("/ticks/S%d", 200)),
                WRITES_NOT_TRACED, false));
    }

    /**
     * {@code examples/kotlin} with the agent: each order is a {@code @WithSpan} suspend function
     * whose calls run in coroutines on the default dispatcher's threads, suspending and resuming on
     * others. Every one of its calls' points carries that order's trace and span, and the call made
     * outside any order carries none.
     */
    @Test
    void kotlinCoroutinesEveryCallOfAnOrderCarriesItsSpanAcrossSuspensions() throws Exception {
        assertTrue(Files.isRegularFile(AGENT), AGENT.toAbsolutePath() + ": the build copies the agent there");
        int orders = 40;
        Path project = ExampleProjects.copy("kotlin", work);
        ExampleProjects.build(project);
        ExampleProjects.mvn(project, Map.of(), "-B", "-q", "dependency:build-classpath", "-Dmdep.outputFile=classpath.txt");
        String classpath = project.resolve("target/classes") + java.io.File.pathSeparator
                + Files.readString(project.resolve("classpath.txt")).strip();
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "orders")) {
            String out = ExampleProjects.run(project, List.of(Jdks.running().java().toString(),
                    "-javaagent:" + AGENT.toAbsolutePath(), "-Dotel.service.name=orders", "-Dotel.traces.exporter=logging",
                    "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
                    "-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=orders",
                    "-cp", classpath, "com.example.kotlin.AppKt", String.valueOf(orders)));
            assertTrue(out.contains("made " + orders + " calls of each"), out);
            Map<String, String> spanOfOrderTrace = new HashMap<>();
            Matcher span = EXPORTED_SPAN.matcher(out);
            while (span.find()) {
                if (span.group(1).equals("order")) {
                    spanOfOrderTrace.put(span.group(2), span.group(3));
                }
            }
            assertEquals(orders, spanOfOrderTrace.size(), "one span per order, each its own trace:\n" + out);

            Map<String, List<String>> functionsOfTrace = new HashMap<>();
            int untraced = 0;
            // application_time too: InfluxDB leaves out a row whose selected fields are all null,
            // and a point without ids must be seen, to fail.
            for (Map<String, Object> row : influx.select(
                    "SELECT \"function\", \"trace_id\", \"span_id\", \"application_time\" FROM \"raw-requests\"")) {
                String function = ((String) row.get("function")).replace("com.example.kotlin.Orders.", "");
                String traceId = (String) row.get("trace_id");
                if (traceId == null) {
                    assertEquals("countdown", function, "only countdown runs outside any order: " + row);
                    untraced++;
                    continue;
                }
                assertEquals(spanOfOrderTrace.get(traceId), row.get("span_id"), "the order's span: " + row);
                functionsOfTrace.computeIfAbsent(traceId, t -> new ArrayList<>()).add(function);
            }
            assertEquals(spanOfOrderTrace.keySet(), functionsOfTrace.keySet());
            for (List<String> functions : functionsOfTrace.values()) {
                functions.sort(null);
                assertEquals(List.of("cancel", "place", "price"), functions, "each order's three calls, once each");
            }
            assertEquals(4, untraced, "countdown(3): four calls, outside any span");
            System.out.println("opentelemetry-agent: kotlin: " + 3 * orders + " points of " + orders
                    + " orders, each with its order's span");
        }
    }

    private void everyRequestsPointCarriesItsServerSpansTraceId(Example example) throws Exception {
        assertTrue(Files.isRegularFile(AGENT), AGENT.toAbsolutePath() + ": the build copies the agent there");
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, example.database())) {
            Path project = ExampleProjects.copyProject(Path.of("..", "examples", example.directory()), work);
            Path properties = project.resolve("src/main/resources/application.properties");
            ExampleProjects.replaceIn(properties, "rawmetrics.influxdb.url=http://localhost:8086",
                    "rawmetrics.influxdb.url=" + influxd.url() + "\nserver.port=" + InfluxdProcess.freePort());
            ExampleProjects.mvn(project, Map.of(), "-B", "package", "-DskipTests");
            Path log = work.resolve("app.log");
            List<String> command = new ArrayList<>(List.of(DOCUMENTED_COMMAND.split(" ")));
            command.set(0, Jdks.running().java().toString());
            command.set(1, command.get(1).replace("opentelemetry-javaagent.jar", AGENT.toAbsolutePath().toString()));
            command.set(2, command.get(2).replace("=shop", "=" + example.database()));
            command.set(4, project.resolve(example.jar()).toString());
            command.addAll(3, List.of("-Dotel.traces.exporter=logging", "-Dotel.metrics.exporter=none",
                    "-Dotel.logs.exporter=none", "-Dotel.bsp.schedule.delay=100"));
            command.addAll(3, example.agentSettings());
            App app = App.start(project, log, command, example.started());
            int requests = CLIENTS * ROUNDS * example.endpoints().size();
            try {
                load(app, example.endpoints());
                // Each server span is exported once its response is sent: wait until all are logged.
                assertTrue(Await.until(Duration.ofSeconds(60), () -> serverSpans(Files.readString(log, StandardCharsets.UTF_8),
                        example).values().stream().mapToInt(Set::size).sum() >= requests),
                        "the agent logged a server span for every request");
            } finally {
                app.stop();
            }
            String out = app.log();
            assertFalse(out.lines().anyMatch(SpringBootExampleIT::rawmetricsWarnsOrFails), out);
            // The agent traces the writer's own HTTP requests to InfluxDB, unless told not to (docs/tracing.md).
            assertEquals(example.writesTraced(), out.lines().anyMatch(line -> line.contains("[rawmetrics-writer]")
                    && EXPORTED_SPAN.matcher(line).find() && line.contains(" CLIENT ")), "the writer's writes as client spans");
            Map<String, Set<String>> tracesOfRoute = serverSpans(out, example);
            Map<String, Set<String>> spansOfTrace = spansOfTraces(out);

            Map<String, List<String>> tracesOfFunction = new HashMap<>();
            int points = 0;
            // application_time too: InfluxDB leaves out a row whose selected fields are all null,
            // and a point without ids must be seen, to fail.
            for (Map<String, Object> row : influx.select(
                    "SELECT \"function\", \"trace_id\", \"span_id\", \"application_time\" FROM \"raw-requests\"")) {
                String traceId = (String) row.get("trace_id");
                String spanId = (String) row.get("span_id");
                assertNotNull(traceId, "a point without a trace id: " + row);
                assertTrue(spansOfTrace.getOrDefault(traceId, Set.of()).contains(spanId),
                        "span " + spanId + " is not a span the agent logged in trace " + traceId);
                tracesOfFunction.computeIfAbsent((String) row.get("function"), f -> new ArrayList<>()).add(traceId);
                points++;
            }
            assertEquals(example.routeOfFunction().keySet(), tracesOfFunction.keySet());
            int serverSpans = 0;
            for (Map.Entry<String, String> function : example.routeOfFunction().entrySet()) {
                List<String> traces = tracesOfFunction.get(function.getKey());
                Set<String> serverTraces = tracesOfRoute.getOrDefault(function.getValue(), Set.of());
                assertEquals(serverTraces, new HashSet<>(traces), function.getKey() + ": the points' traces, against "
                        + function.getValue() + "'s server spans");
                assertEquals(serverTraces.size(), traces.size(), function.getKey() + ": one point per trace");
                serverSpans += serverTraces.size();
            }
            // A client may send a GET again on its own (a kept-alive connection reset): that is a request too.
            assertTrue(points == serverSpans && points >= requests, points + " points, " + serverSpans
                    + " server spans, " + requests + " requests made");
            System.out.println("opentelemetry-agent: " + example.directory() + ": " + points
                    + " points, each with its server span's trace id");
        }
    }

    /** {@value #CLIENTS} clients, {@value #ROUNDS} rounds each of the endpoints. */
    private static void load(App app, List<Endpoint> endpoints) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    HttpClient http = HttpClient.newHttpClient();
                    for (int i = 0; i < ROUNDS; i++) {
                        for (Endpoint endpoint : endpoints) {
                            String path = endpoint.path().replace("%d", Integer.toString(client * ROUNDS + i));
                            assertEquals(endpoint.status(), SpringBootExampleIT.get(http, app.url(path)).statusCode(), path);
                        }
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

    /** The trace ids of the exported server spans of {@code example}'s routes, by span name (the route). */
    private static Map<String, Set<String>> serverSpans(String log, Example example) {
        Map<String, Set<String>> traces = new HashMap<>();
        Matcher span = EXPORTED_SPAN.matcher(log);
        while (span.find()) {
            if (span.group(4).equals("SERVER") && example.routeOfFunction().containsValue(span.group(1))) {
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

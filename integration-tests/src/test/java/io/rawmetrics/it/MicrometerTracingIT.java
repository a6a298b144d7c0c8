package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.SpringBootExampleIT.App;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/spring-boot} with Spring Boot's own tracing instead of an agent: Micrometer
 * Tracing's OpenTelemetry bridge, as Boot's documentation has it (the dependency, and the sampling
 * probability). Each request comes with a W3C {@code traceparent} header, as from an upstream
 * service: Boot's server observation continues that trace in a span of its own, and the request's
 * point carries the trace id that was sent, and that span's id.
 */
class MicrometerTracingIT {

    private static final int REQUESTS = 200;

    @TempDir
    Path work;

    @Test
    void eachRequestsPointCarriesTheTraceItCameWithThroughMicrometerTracingsOpenTelemetryBridge() throws Exception {
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "shop")) {
            Path project = ExampleProjects.copyProject(Path.of("..", "examples", "spring-boot"), work);
            SpringBootExampleIT.configure(project, influxd.url().toString(), InfluxdProcess.freePort());
            String api = "<artifactId>opentelemetry-api</artifactId>\n    </dependency>\n";
            ExampleProjects.replaceIn(project.resolve("pom.xml"), api, api + "    <dependency>\n"
                    + "      <groupId>io.micrometer</groupId>\n"
                    + "      <artifactId>micrometer-tracing-bridge-otel</artifactId>\n    </dependency>\n");
            Files.writeString(project.resolve("src/main/resources/application.properties"),
                    "\nmanagement.tracing.sampling.probability=1.0\n", StandardOpenOption.APPEND);
            ExampleProjects.mvn(project, Map.of(), "-B", "package", "-DskipTests");

            App app = App.javaJar(project, work.resolve("app.log"));
            Map<String, String> parentOfTrace = new HashMap<>();
            Map<String, Set<String>> sentByFunction = new HashMap<>();
            Random random = new Random(42);
            try {
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < REQUESTS; i++) {
                    boolean later = i % 2 == 1;
                    String traceId = String.format("%016x%016x", random.nextLong() | 1, random.nextLong());
                    String parentId = String.format("%016x", random.nextLong() | 1);
                    parentOfTrace.put(traceId, parentId);
                    sentByFunction.computeIfAbsent(later ? "later" : "hello", f -> new HashSet<>()).add(traceId);
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(app.url(later ? "/later" : "/hello?name=" + i))
                            .header("traceparent", "00-" + traceId + "-" + parentId + "-01").build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, response.statusCode(), response.body());
                }
            } finally {
                app.stop();
            }
            String out = app.log();
            assertFalse(out.lines().anyMatch(SpringBootExampleIT::rawmetricsWarnsOrFails), out);

            Map<String, Set<String>> storedByFunction = new HashMap<>();
            int points = 0;
            // application_time too: InfluxDB leaves out a row whose selected fields are all null.
            for (Map<String, Object> row : influx.select(
                    "SELECT \"function\", \"trace_id\", \"span_id\", \"application_time\" FROM \"raw-requests\"")) {
                String traceId = (String) row.get("trace_id");
                assertNotNull(traceId, "a point without the trace it came with: " + row);
                String spanId = (String) row.get("span_id");
                assertTrue(spanId != null && spanId.matches("[0-9a-f]{16}"), row.toString());
                assertNotEquals(parentOfTrace.get(traceId), spanId, "the server's span, a child of the caller's");
                String function = ((String) row.get("function")).replace("com.example.shop.GreetingController.", "");
                storedByFunction.computeIfAbsent(function, f -> new HashSet<>()).add(traceId);
                points++;
            }
            assertEquals(sentByFunction, storedByFunction, "each point's trace, against the traceparent its request came with");
            assertEquals(REQUESTS, points);
        }
    }
}

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import io.rawmetrics.it.Jdks.Jdk;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A web application with rawmetrics in its {@code WEB-INF/lib} (examples/servlet, built as a user
 * builds it), deployed, loaded and undeployed five times in a real Tomcat (Debian's tomcat10), on each
 * JDK the examples run on.
 * Every request Tomcat served is one point, whether the undeploy came after the load or in the
 * middle of it; no thread of the library outlives its deployment; no old deployment stays in the
 * heap; and Tomcat has no leak to report.
 */
class ServletContainerIT {

    private static final int CYCLES = 5;
    private static final String DATABASE = "servlet_shop";
    private static final String SERVED = "GET /shop/orders 200";
    private static final List<String> REGIONS = List.of("eu", "us", "ap", "sa");
    /** What Tomcat says of an application that left a thread running or a thread-local set at its undeploy. */
    private static final List<String> LEAK_WARNINGS = List.of("appears to have started a thread",
            "failed to remove it when the web application was stopped", "memory leak", "Threads are going to be renewed",
            "failed to stop it", "failed to unregister it");

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("io.rawmetrics.it.ExampleProjects#jdks")
    void everyServedRequestIsOnePointAndNoDeploymentOutlivesItsUndeploy(Jdk jdk, @TempDir Path work) throws Exception {
        Path project = ExampleProjects.copy("servlet", work);
        ExampleProjects.build(project, jdk);
        Path war = project.resolve("target/shop.war");
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux points = new PointsInInflux(influxd, DATABASE);
             TomcatProcess tomcat = TomcatProcess.start(work.resolve("tomcat"), jdk, List.of(
                     "-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=" + DATABASE))) {
            long servedBefore = 0;
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                long cycleStart = System.currentTimeMillis();
                tomcat.deploy(war, "shop");
                assertTrue(tomcat.webappClassLoaders() >= 1, "the heap histogram finds the deployment's class loader");
                boolean undeployUnderLoad = cycle % 2 == 0;
                try (Load load = new Load(tomcat.url("/shop/orders"), undeployUnderLoad ? 100_000 : 400)) {
                    if (undeployUnderLoad) {
                        assertTrue(Await.until(Duration.ofSeconds(60), () -> load.served() >= 1_000), "requests served");
                        tomcat.undeploy("shop");
                        load.awaitEnd();
                    } else {
                        load.awaitEnd();
                        tomcat.undeploy("shop");
                    }
                }
                long served = tomcat.served(SERVED);
                long cycleEnd = System.currentTimeMillis();
                int thisCycle = cycle;
                String ofOrders = " FROM \"raw-requests\" WHERE function = 'com.example.servlet.Orders.place'";
                assertEquals(served, points.count("SELECT count(application_time)" + ofOrders),
                        () -> "cycle " + thisCycle + ": every request Tomcat served is one point");
                // Time = the call's end, on the machine's clock (Tomcat's and this test's): each
                // point of this cycle says its call ended within it, and took no longer than it.
                String window = " AND time >= " + cycleStart + "ms AND time <= " + cycleEnd + "ms";
                assertEquals(served - servedBefore, points.count("SELECT count(application_time)" + ofOrders + window),
                        () -> "cycle " + thisCycle + ": a point's time is when its call ended, within the cycle");
                double longest = ((Number) points.select("SELECT max(application_time)" + ofOrders + window).get(0)
                        .get("max")).doubleValue();
                assertTrue(longest > 0 && longest <= (cycleEnd - cycleStart) / 1000.0,
                        () -> "cycle " + thisCycle + ": the longest call took " + longest + " s, in a cycle of "
                                + (cycleEnd - cycleStart) + " ms");
                servedBefore = served;
                assertTrue(Await.until(Duration.ofSeconds(10), () -> libraryThreads(tomcat).isEmpty()),
                        () -> "cycle " + thisCycle + ": threads of the library outlived the undeploy: " + orError(() -> libraryThreads(tomcat)));
            }
            // Okio's timeout watchdog, one per deployment (each has its own Okio), ends by itself a
            // minute or two after its last use, and keeps its deployment until then.
            assertTrue(Await.until(Duration.ofSeconds(240), () -> tomcat.webappClassLoaders() == 0),
                    () -> "an undeployed application is still in the heap (" + orError(tomcat::webappClassLoaders) + " web application class loaders"
                            + " after GC); threads: " + orError(tomcat::threads) + "; heap dump: "
                            + orError(() -> tomcat.heapDump(Path.of("target", "servlet-leak-java" + jdk.version() + ".hprof"))));
            String output = tomcat.output();
            for (String warning : LEAK_WARNINGS) {
                assertFalse(output.contains(warning), () -> "Tomcat warns \"" + warning + "\":\n" + output);
            }
            List<String> complaints = output.lines().filter(line -> line.contains("rawmetrics")
                    && (line.contains(" WARNING ") || line.contains(" SEVERE "))).toList();
            assertEquals(List.of(), complaints, "rawmetrics warned of a loss or a failure");
        }
    }

    /** Threads of rawmetrics, or started by its HTTP client, save the timeout watchdog (see above). */
    private static List<String> libraryThreads(TomcatProcess tomcat) throws Exception {
        return tomcat.threads().stream().filter(name -> name.startsWith("rawmetrics") || name.startsWith("OkHttp")).toList();
    }

    /** What {@code read} returns, or the error that reading it met: for a failure message. */
    private static String orError(java.util.concurrent.Callable<?> read) {
        try {
            return String.valueOf(read.call());
        } catch (Exception e) {
            return e.toString();
        }
    }

    /**
     * Requests from four threads, one region each, on kept-alive connections, until each thread has
     * made {@code perThread} or the application answers anything but 200 (it is undeployed).
     */
    private static final class Load implements AutoCloseable {
        private final HttpClient http = HttpClient.newHttpClient();
        private final ExecutorService threads = Executors.newFixedThreadPool(REGIONS.size());
        private final List<Future<?>> running = new ArrayList<>();
        private final AtomicLong served = new AtomicLong();

        Load(URI url, int perThread) {
            for (String region : REGIONS) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(url + "?region=" + region)).build();
                running.add(threads.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            return null;
                        }
                        served.incrementAndGet();
                    }
                    return null;
                }));
            }
        }

        long served() {
            return served.get();
        }

        void awaitEnd() throws Exception {
            for (Future<?> thread : running) {
                thread.get();
            }
        }

        @Override
        public void close() {
            threads.shutdownNow();
        }
    }
}

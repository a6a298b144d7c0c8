package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.RawMetricsConfig.WriteApi;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.VictoriaMetricsProcess;
import io.rawmetrics.it.fixtures.MethodKinds;
import io.rawmetrics.it.fixtures.PlainService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real VictoriaMetrics (single node) through both write APIs: {@code /write?db=} (v1) and
 * {@code /api/v2/write?org=&bucket=} with a token (v2, the request InfluxDB 2.x documents). N calls
 * become exactly N samples, read back through {@code /api/v1/export}, with their tags and values;
 * from several threads, from two JVMs, and through a kill -9 and restart of the server.
 * VictoriaMetrics keeps millisecond timestamps, and keeps every sample of a series even when two
 * fall in the same millisecond.
 *
 */
class VictoriaMetricsIT {

    private static final String METRIC = "raw-requests_application_time";
    private static final String FUNCTION = "io.rawmetrics.it.fixtures.MethodKinds.concurrentCall";
    private static final String OF_FUNCTION = "{__name__=\"" + METRIC + "\",function=\"" + FUNCTION + "\"}";
    private static final Duration VISIBLE = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @AfterEach
    void stopRecorder() {
        RawMetrics.stop(Duration.ofSeconds(5));
    }

    private static RawMetricsConfig.Builder config(VictoriaMetricsProcess vm, WriteApi api) {
        RawMetricsConfig.Builder config = RawMetricsConfig.builder().url(vm.url().toString())
                .createDatabase(false) // VictoriaMetrics has no CREATE DATABASE: it stores what it is sent
                .api(api);
        return api == WriteApi.V2 ? config.orgAndBucket("rawmetrics", "requests").token("not-checked-by-vm")
                : config.database("wsgi");
    }

    @ParameterizedTest
    @EnumSource(WriteApi.class)
    void everyCallOfSeveralThreadsIsOneSampleWithItsTagsAndValue(WriteApi api) throws Exception {
        try (VictoriaMetricsProcess vm = VictoriaMetricsProcess.startTemporary()) {
            RawMetrics.start(config(vm, api).bufferCapacity(500_000).build());
            int threads = 4;
            int calls = 25_000;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < calls; i++) {
                        MethodKinds.concurrentCall(i);
                    }
                });
                worker.start();
                workers.add(worker);
            }
            go.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            assertTrue(RawMetrics.stop(Duration.ofSeconds(30)));
            assertEquals(threads * calls, RawMetrics.stats().delivered());

            Map<String, Integer> series = vm.awaitSamples(OF_FUNCTION, threads * calls, VISIBLE);
            assertEquals(threads * calls, series.values().stream().mapToInt(Integer::intValue).sum(), series.toString());
            assertEquals(1, series.size(), "one series: " + series);
            String labels = series.keySet().iterator().next();
            assertTrue(labels.contains("\"outcome\":\"ok\"") && labels.contains("\"hostname\":")
                    && labels.contains("\"process\":"), labels);
            assertEquals(api == WriteApi.V1, labels.contains("\"db\":\"wsgi\""), "VictoriaMetrics labels v1 samples with db: " + labels);
            long now = System.currentTimeMillis() / 1000 + 1;
            double fastest = value(vm.query("min(min_over_time(" + OF_FUNCTION + "[5m]))", now));
            double slowest = value(vm.query("max(max_over_time(" + OF_FUNCTION + "[5m]))", now));
            assertTrue(fastest > 0 && slowest < 1, "application_time in seconds, as written: " + fastest + " to " + slowest);
        }
    }

    /** The value of an instant query's single result. */
    private static double value(String answer) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]").matcher(answer);
        assertTrue(m.find(), answer);
        return Double.parseDouble(m.group(1));
    }

    /** The Raw Requests dashboard's two panels in MetricsQL, as docs/deployment.md gives them. */
    static final String THROUGHPUT = "sum by (function) (count_over_time({__name__=\"raw-requests_application_time\"}[1m])) / 60";
    static final String P95 = "max by (function) (quantile_over_time(0.95, {__name__=\"raw-requests_application_time\"}[1m]))";

    @Test
    void theDocumentedMetricsqlQueriesGiveThroughputAndP95PerFunction() throws Exception {
        try (VictoriaMetricsProcess vm = VictoriaMetricsProcess.startTemporary()) {
            RawMetrics.start(config(vm, WriteApi.V2).build());
            for (int i = 0; i < 6000; i++) {
                MethodKinds.concurrentCall(i);
            }
            assertTrue(RawMetrics.stop(Duration.ofSeconds(30)));
            assertEquals(6000, vm.awaitCount(OF_FUNCTION, 6000, VISIBLE));

            long now = System.currentTimeMillis() / 1000 + 1;
            String throughput = vm.query(THROUGHPUT, now);
            assertTrue(throughput.contains("{\"function\":\"" + FUNCTION + "\"},\"value\":[" + now + ",\"100\"]"),
                    "6,000 calls in the last minute: 100 per second: " + throughput);
            String p95 = vm.query(P95, now);
            assertTrue(p95.contains("{\"function\":\"" + FUNCTION + "\"},\"value\":[" + now + ",\""), p95);
        }
    }

    @ParameterizedTest
    @EnumSource(WriteApi.class)
    void twoJvmsWritingAtOnceEachHaveExactlyTheirSamples(WriteApi api) throws Exception {
        try (VictoriaMetricsProcess vm = VictoriaMetricsProcess.startTemporary()) {
            int[] calls = {30_000, 20_000};
            List<String> settings = api == WriteApi.V2
                    ? List.of("-Drawmetrics.influxdb.api=v2", "-Drawmetrics.influxdb.bucket=requests",
                            "-Drawmetrics.influxdb.org=rawmetrics", "-Drawmetrics.influxdb.token=t")
                    : List.of("-Drawmetrics.influxdb.database=wsgi");
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < calls.length; i++) {
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Drawmetrics.influxdb.url=" + vm.url(), "-Drawmetrics.influxdb.create-database=false"));
                command.addAll(settings);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), RecordingProcess.class.getName(),
                        String.valueOf(calls[i])));
                processes.add(new ProcessBuilder(command)
                        .redirectErrorStream(true).redirectOutput(work.resolve("p" + i + ".log").toFile()).start());
            }
            for (int i = 0; i < calls.length; i++) {
                Process process = processes.get(i);
                assertTrue(process.waitFor(120, TimeUnit.SECONDS));
                String out = Files.readString(work.resolve("p" + i + ".log"));
                assertEquals(0, process.exitValue(), out);
                assertTrue(!out.contains("rawmetrics"), "nothing to say: " + out);
            }
            for (int i = 0; i < calls.length; i++) {
                Map<String, Integer> series = vm.awaitSamples("{__name__=\"" + METRIC + "\",function=\"" + FUNCTION
                        + "\",process=~\".*:" + processes.get(i).pid() + "\"}", calls[i], VISIBLE);
                assertEquals(calls[i], series.values().stream().mapToInt(Integer::intValue).sum(), "process " + i + ": " + series);
            }
        }
    }

    /**
     * Calls made while the server is down (killed with SIGKILL) are kept and written once it is
     * back on its data. (What the server had acknowledged just before the kill is its own affair:
     * VictoriaMetrics answers before its samples are on disk, and a kill -9 loses its last seconds,
     * so the calls counted here are the ones made during the outage.)
     */
    @ParameterizedTest
    @EnumSource(WriteApi.class)
    void callsMadeWhileTheServerIsKilledAreWrittenOnceItIsBack(WriteApi api) {
        int calls = 20_000;
        int port = InfluxdProcess.freePort();
        Path data = work.resolve("vm");
        VictoriaMetricsProcess vm = VictoriaMetricsProcess.startIn(data, port);
        try {
            RawMetrics.start(config(vm, api).flushInterval(Duration.ofMillis(50)).batchSize(1000).build());
            new PlainService().annotatedToo();
            assertTrue(RawMetrics.flush(Duration.ofSeconds(30)), "writing works before the outage");

            vm.kill();
            for (int i = 0; i < calls; i++) {
                assertEquals(i + 1, MethodKinds.concurrentCall(i), "calls work unchanged while the server is down");
            }
            assertTrue(!RawMetrics.flush(Duration.ofMillis(200)), "nothing can be written while it is down");
            vm = VictoriaMetricsProcess.startIn(data, port);
            assertTrue(RawMetrics.flush(Duration.ofSeconds(60)), "written once it is back");

            RawMetrics.Stats stats = RawMetrics.stats();
            assertEquals(calls + 1, stats.delivered(), stats.toString());
            assertEquals(0, stats.dropped(), stats.toString());
            assertTrue(stats.failedWrites() >= 1, stats.toString());
            assertEquals(calls, vm.awaitCount(OF_FUNCTION, calls, VISIBLE), "every call is a sample, none twice");
        } finally {
            vm.close();
        }
    }
}

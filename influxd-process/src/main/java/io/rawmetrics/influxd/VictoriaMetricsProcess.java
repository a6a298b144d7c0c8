package io.rawmetrics.influxd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private single-node VictoriaMetrics (Debian's {@code victoria-metrics}), on a free loopback
 * port, with its data in its own directory; ready once {@code GET /health} answers 200. It takes
 * InfluxDB's line protocol at {@code /write} and {@code /api/v2/write}, storing measurement
 * {@code m}'s field {@code f} as the metric {@code m_f}, with millisecond timestamps.
 */
public final class VictoriaMetricsProcess implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern SAMPLES = Pattern.compile("\"values\":\\[([^\\]]*)\\]");

    private final Process process;
    private final Path directory;
    private final boolean temporary;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private VictoriaMetricsProcess(Process process, Path directory, boolean temporary, int httpPort) {
        this.process = process;
        this.directory = directory;
        this.temporary = temporary;
        this.httpPort = httpPort;
    }

    /** Starts a server whose data lives in a new temporary directory, deleted by {@link #close()}. */
    public static VictoriaMetricsProcess startTemporary() {
        try {
            return start(Files.createTempDirectory("victoria-metrics-"), true, InfluxdProcess.freePort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for victoria-metrics", e);
        }
    }

    /** Starts a server on the data in {@code directory} (kept after {@link #close()}), on {@code httpPort}. */
    public static VictoriaMetricsProcess startIn(Path directory, int httpPort) {
        return start(directory, false, httpPort);
    }

    /** The {@code victoria-metrics} binary on the PATH, or {@code null}. */
    public static Path findBinary() {
        return ServerProcesses.findOnPath("victoria-metrics");
    }

    private static VictoriaMetricsProcess start(Path directory, boolean temporary, int httpPort) {
        Path binary = findBinary();
        if (binary == null) {
            throw new IllegalStateException("victoria-metrics is not on the PATH. Install it, for example with: "
                    + "apt-get install -y victoria-metrics");
        }
        try {
            Files.createDirectories(directory);
            Process process = new ProcessBuilder(binary.toString(),
                    "-storageDataPath=" + directory.resolve("data"),
                    "-httpListenAddr=127.0.0.1:" + httpPort,
                    "-loggerLevel=ERROR")
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("victoria-metrics.log").toFile())
                    .start();
            VictoriaMetricsProcess server = new VictoriaMetricsProcess(process, directory, temporary, httpPort);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start victoria-metrics in " + directory, e);
        }
    }

    /** The HTTP API, for example {@code http://127.0.0.1:41234}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public int httpPort() {
        return httpPort;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Samples per series matching {@code selector} (a series selector such as
     * {@code {__name__="m_f",function="f"}}), read back through {@code /api/v1/export} after making
     * fresh samples visible ({@code /internal/force_flush}).
     *
     * @return for each series (its labels as VictoriaMetrics prints them), how many samples it holds
     */
    public Map<String, Integer> samples(String selector) {
        get("/internal/force_flush");
        Map<String, Integer> series = new LinkedHashMap<>();
        for (String line : get("/api/v1/export?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher values = SAMPLES.matcher(line);
            if (!values.find()) {
                throw new IllegalStateException("unexpected export line: " + line);
            }
            int count = values.group(1).isBlank() ? 0 : values.group(1).split(",").length;
            series.merge(line.substring(0, line.indexOf(",\"values\"")), count, Integer::sum);
        }
        return series;
    }

    /**
     * The samples matching {@code selector}, once they number {@code expected} or {@code timeout}
     * has passed: VictoriaMetrics makes what it accepted visible to reads a moment later, even
     * after a forced flush. Polls, with that deadline.
     */
    public Map<String, Integer> awaitSamples(String selector, long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Integer> series = samples(selector);
            long count = series.values().stream().mapToLong(Integer::longValue).sum();
            if (count >= expected || System.nanoTime() > deadline) {
                return series;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // read again, until the deadline
        }
    }

    /** The total of {@link #awaitSamples}. */
    public long awaitCount(String selector, long expected, Duration timeout) {
        return awaitSamples(selector, expected, timeout).values().stream().mapToLong(Integer::longValue).sum();
    }

    /**
     * The answer of an instant query ({@code /api/v1/query}, MetricsQL) at {@code time} (epoch
     * seconds), without the server's latency offset (which hides the last 30 s by default).
     */
    public String query(String metricsql, long time) {
        return get("/api/v1/query?latency_offset=0s&nocache=1&time=" + time + "&query="
                + URLEncoder.encode(metricsql, StandardCharsets.UTF_8));
    }

    private String get(String pathAndQuery) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(pathAndQuery + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the server with SIGKILL, as a crash would, and waits for it to be gone; keeps its data. */
    public void kill() {
        ServerProcesses.kill(process);
    }

    @Override
    public void close() {
        ServerProcesses.stop(process);
        if (temporary) {
            ServerProcesses.deleteRecursively(directory);
        }
    }

    private void awaitReady() {
        ServerProcesses.awaitReady("victoria-metrics", process, http, url().resolve("/health"), 200, STARTUP_TIMEOUT,
                this::log, this::close);
    }

    private String log() {
        try {
            return Files.readString(directory.resolve("victoria-metrics.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}

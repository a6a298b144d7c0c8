package io.rawmetrics.influxd;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A private InfluxDB 1.x server: {@code influxd} started with a configuration written to its own
 * directory, listening on free loopback ports, ready once {@code GET /ping} answers 204.
 *
 * <p>Used by the tests (each test class gets a fresh server) and by the demo when no InfluxDB
 * answers on the usual port. {@link #close()} stops the server and, for a temporary server,
 * deletes its data.
 *
 * <pre>{@code
 * try (InfluxdProcess influxd = InfluxdProcess.startTemporary()) {
 *     URI url = influxd.url();   // http://127.0.0.1:<free port>
 * }
 * }</pre>
 */
public final class InfluxdProcess implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration PING_INTERVAL = Duration.ofMillis(50);
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Process process;
    private final Path directory;
    private final boolean temporary;
    private final int httpPort;
    private final Path log;

    private InfluxdProcess(Process process, Path directory, boolean temporary, int httpPort, Path log) {
        this.process = process;
        this.directory = directory;
        this.temporary = temporary;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** Starts a server whose data lives in a new temporary directory, deleted by {@link #close()}. */
    public static InfluxdProcess startTemporary() {
        try {
            return start(Files.createTempDirectory("influxd-"), true, freePort(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for influxd", e);
        }
    }

    /**
     * Starts a server whose data lives in {@code directory} (kept after {@link #close()}), its HTTP
     * API on {@code httpPort} of the loopback interface.
     */
    public static InfluxdProcess startIn(Path directory, int httpPort) {
        return start(directory, false, httpPort, false);
    }

    /**
     * Starts a temporary server with {@code auth-enabled = true} and one admin user, the only one
     * who can read or write.
     */
    public static InfluxdProcess startTemporaryWithAuth(String adminUser, String adminPassword) {
        InfluxdProcess influxd;
        try {
            influxd = start(Files.createTempDirectory("influxd-"), true, freePort(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for influxd", e);
        }
        // With no user yet, InfluxDB accepts exactly this statement without credentials.
        String statement = "CREATE USER \"" + adminUser + "\" WITH PASSWORD '" + adminPassword.replace("'", "\\'")
                + "' WITH ALL PRIVILEGES";
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(influxd.url()
                            .resolve("/query?q=" + java.net.URLEncoder.encode(statement, StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200 || answer.body().contains("\"error\"")) {
                throw new IllegalStateException("cannot create the admin user: " + answer.body());
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            influxd.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot create the admin user of " + influxd.url(), e);
        }
        return influxd;
    }

    /** The {@code influxd} binary on the PATH, or {@code null} when there is none. */
    public static Path findBinary() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "influxd");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static InfluxdProcess start(Path directory, boolean temporary, int httpPort, boolean authEnabled) {
        Path binary = findBinary();
        if (binary == null) {
            throw new IllegalStateException("influxd is not on the PATH. Install InfluxDB 1.x, "
                    + "for example with: apt-get install -y influxdb");
        }
        try {
            Files.createDirectories(directory);
            Path config = directory.resolve("influxd.conf");
            Files.writeString(config, config(directory, httpPort, freePort(), authEnabled), StandardCharsets.UTF_8);
            Path log = directory.resolve("influxd.log");
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(SETSID)) {
                // A session of its own: Ctrl-C in the terminal reaches the JVM, which writes its last
                // points to this server before stopping it, instead of killing both at once.
                command.add(SETSID.toString());
            }
            command.addAll(List.of(binary.toString(), "-config", config.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            InfluxdProcess influxd = new InfluxdProcess(process, directory, temporary, httpPort, log);
            influxd.awaitReady();
            return influxd;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start influxd in " + directory, e);
        }
    }

    /** The server's HTTP API, for example {@code http://127.0.0.1:41234}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public int httpPort() {
        return httpPort;
    }

    /** The directory holding the configuration, data and {@code influxd.log}. */
    public Path directory() {
        return directory;
    }

    /** Whether the server process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the server with SIGKILL, as a crash would, and waits for it to be gone; keeps its data. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (temporary) {
            deleteRecursively(directory);
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(url().resolve("/ping")).timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("influxd exited with code " + process.exitValue()
                        + " before it answered /ping; its log:\n" + readLog());
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 204) {
                    return;
                }
            } catch (IOException notYetListening) {
                // The server is still starting: poll again.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for influxd", e);
            }
            LockSupport.parkNanos(PING_INTERVAL.toNanos()); // poll /ping again: this is the deadline loop

        }
        close();
        throw new IllegalStateException("influxd did not answer /ping within " + STARTUP_TIMEOUT
                + "; its log:\n" + readLog());
    }

    private String readLog() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String config(Path directory, int httpPort, int rpcPort, boolean authEnabled) {
        // The top-level bind-address is the RPC (backup/restore) port: it must be free too,
        // or two servers on one machine collide on the default 8088.
        return "reporting-disabled = true\n"
                + "bind-address = \"127.0.0.1:" + rpcPort + "\"\n"
                + "[meta]\n"
                + "  dir = \"" + directory.resolve("meta") + "\"\n"
                + "[data]\n"
                + "  dir = \"" + directory.resolve("data") + "\"\n"
                + "  wal-dir = \"" + directory.resolve("wal") + "\"\n"
                + "  query-log-enabled = false\n"
                + "[http]\n"
                + "  bind-address = \"127.0.0.1:" + httpPort + "\"\n"
                + "  log-enabled = false\n"
                + "  auth-enabled = " + authEnabled + "\n"
                + "[logging]\n"
                + "  level = \"warn\"\n";
    }

    /** A port that was free a moment ago on the loopback interface. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Leaving a temp directory behind is harmless; failing a test for it is not.
        }
    }
}

package io.rawmetrics.influxd;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** What {@link InfluxdProcess} and {@link VictoriaMetricsProcess} do alike with their server processes. */
final class ServerProcesses {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private ServerProcesses() {
    }

    /** {@code name} on the PATH, or {@code null}. */
    static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Polls {@code probe} until it answers {@code readyStatus}, the process dies, or
     * {@code timeout} passes; then {@code close} runs and the failure says why, with the log.
     */
    static void awaitReady(String name, Process process, HttpClient http, URI probe, int readyStatus,
            Duration timeout, Supplier<String> log, Runnable close) {
        HttpRequest request = HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it answered " + probe.getPath() + "; its log:\n" + log.get());
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == readyStatus) {
                    return;
                }
            } catch (IOException notYetListening) {
                // The server is still starting: poll again.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close.run();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos()); // poll again, until the deadline
        }
        close.run();
        throw new IllegalStateException(name + " did not answer " + probe.getPath() + " within " + timeout
                + "; its log:\n" + log.get());
    }

    /** SIGKILL, as a crash would, and waits for the process to be gone. */
    static void kill(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL if it has not ended within the stop timeout. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static void deleteRecursively(Path root) {
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

package io.rawmetrics.influxd;

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
import java.util.List;

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
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Process process;
    private final Path directory;
    private final boolean temporary;
    private final int httpPort;
    private final Path log;
    private final boolean https;

    private InfluxdProcess(Process process, Path directory, boolean temporary, int httpPort, Path log, boolean https) {
        this.process = process;
        this.directory = directory;
        this.temporary = temporary;
        this.httpPort = httpPort;
        this.log = log;
        this.https = https;
    }

    /** Starts a server whose data lives in a new temporary directory, deleted by {@link #close()}. */
    public static InfluxdProcess startTemporary() {
        return startTemporary(Options.PLAIN);
    }

    /** How many times a temporary server is started on new ports when one was taken before influxd bound it. */
    private static final int PORT_ATTEMPTS = 3;

    /**
     * A temporary server on ports free a moment ago. Another process can take such a port before
     * influxd binds it (an outgoing connection's ephemeral port: seen once in the suite, "bind:
     * address already in use"), so a server that could not bind is started again on new ports.
     */
    private static InfluxdProcess startTemporary(Options options) {
        for (int attempt = 1; ; attempt++) {
            Path directory;
            try {
                directory = Files.createTempDirectory("influxd-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for influxd", e);
            }
            try {
                return start(directory, true, freePort(), options);
            } catch (IllegalStateException e) {
                if (attempt == PORT_ATTEMPTS || !String.valueOf(e.getMessage()).contains("address already in use")) {
                    throw e;
                }
            }
        }
    }

    /**
     * Starts a server whose data lives in {@code directory} (kept after {@link #close()}), its HTTP
     * API on {@code httpPort} of the loopback interface.
     */
    public static InfluxdProcess startIn(Path directory, int httpPort) {
        return start(directory, false, httpPort, Options.PLAIN);
    }

    /**
     * Starts a temporary server that speaks HTTPS only, with this certificate and private key (PEM
     * files). {@link #url()} is then an {@code https} URL.
     */
    public static InfluxdProcess startTemporaryWithTls(Path certificatePem, Path privateKeyPem) {
        return startTemporary(new Options(false, certificatePem, privateKeyPem, 0));
    }

    /**
     * Starts a temporary server that refuses write requests over {@code maxBodyBytes} (its
     * {@code [http] max-body-size}, 25 MB by default) with HTTP 413.
     */
    public static InfluxdProcess startTemporaryWithMaxBodySize(int maxBodyBytes) {
        return startTemporary(new Options(false, null, null, maxBodyBytes));
    }

    /** How a server is configured beyond its directory and port; a {@code maxBodySize} of 0 keeps the default. */
    private record Options(boolean authEnabled, Path certificate, Path privateKey, int maxBodySize) {
        static final Options PLAIN = new Options(false, null, null, 0);

        boolean https() {
            return certificate != null;
        }
    }

    /**
     * Starts a temporary server with {@code auth-enabled = true} and one admin user, the only one
     * who can read or write.
     */
    public static InfluxdProcess startTemporaryWithAuth(String adminUser, String adminPassword) {
        InfluxdProcess influxd = startTemporary(new Options(true, null, null, 0));
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
        return ServerProcesses.findOnPath("influxd");
    }

    private static InfluxdProcess start(Path directory, boolean temporary, int httpPort, Options options) {
        Path binary = findBinary();
        if (binary == null) {
            throw new IllegalStateException("influxd is not on the PATH. Install InfluxDB 1.x, "
                    + "for example with: apt-get install -y influxdb");
        }
        try {
            Files.createDirectories(directory);
            Path config = directory.resolve("influxd.conf");
            Files.writeString(config, config(directory, httpPort, freePort(), options), StandardCharsets.UTF_8);
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
            InfluxdProcess influxd = new InfluxdProcess(process, directory, temporary, httpPort, log, options.https());
            influxd.awaitReady();
            return influxd;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start influxd in " + directory, e);
        }
    }

    /** The server's HTTP API, for example {@code http://127.0.0.1:41234}. */
    public URI url() {
        return URI.create((https ? "https" : "http") + "://127.0.0.1:" + httpPort);
    }

    public int httpPort() {
        return httpPort;
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
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
        if (https) {
            // Only to see that this test server is up: the clients under test check certificates.
            builder.sslContext(TrustEverything.CONTEXT);
        }
        ServerProcesses.awaitReady("influxd", process, builder.build(), url().resolve("/ping"), 204, STARTUP_TIMEOUT,
                this::readLog, this::close);
    }

    private String readLog() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String config(Path directory, int httpPort, int rpcPort, Options options) {
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
                + "  auth-enabled = " + options.authEnabled() + "\n"
                + (options.maxBodySize() > 0 ? "  max-body-size = " + options.maxBodySize() + "\n" : "")
                + (options.https() ? "  https-enabled = true\n"
                        + "  https-certificate = \"" + options.certificate() + "\"\n"
                        + "  https-private-key = \"" + options.privateKey() + "\"\n" : "")
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

    /** An SSL context that accepts any certificate: for the readiness ping of a local test server only. */
    private static final class TrustEverything {
        static final javax.net.ssl.SSLContext CONTEXT = create();

        private static javax.net.ssl.SSLContext create() {
            javax.net.ssl.X509TrustManager all = new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            };
            try {
                javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
                context.init(null, new javax.net.ssl.TrustManager[] {all}, null);
                return context;
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

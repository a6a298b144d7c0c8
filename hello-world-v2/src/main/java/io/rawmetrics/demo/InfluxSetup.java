package io.rawmetrics.demo;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Makes sure the demo has an InfluxDB: the configured one if it answers; else, for a local URL
 * and with {@code influxd} on the PATH, a private one started here (data under {@code target/},
 * stopped with the demo); else none, and the demo says how to get one.
 */
final class InfluxSetup implements AutoCloseable {

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private final InfluxdProcess privateServer;

    private InfluxSetup(InfluxdProcess privateServer) {
        this.privateServer = privateServer;
    }

    static InfluxSetup ensure(RawMetricsConfig config, Path dataDirectory, PrintStream out) {
        URI url = config.url();
        if (answersPing(url)) {
            return new InfluxSetup(null);
        }
        boolean local = LOCAL_HOSTS.contains(url.getHost()) && "http".equals(url.getScheme());
        if (local && InfluxdProcess.findBinary() != null) {
            int port = url.getPort() == -1 ? 80 : url.getPort();
            out.println("No InfluxDB answers at " + url + ": starting a private one (data in " + dataDirectory
                    + "); it stops with the demo.");
            return new InfluxSetup(InfluxdProcess.startIn(dataDirectory, port));
        }
        out.println("No InfluxDB answers at " + url + ". Requests are served anyway; up to "
                + config.bufferCapacity() + " points wait in memory and are written once it answers.");
        out.println("To get InfluxDB 1.x: sudo apt-get install -y influxdb (then: influxd), or, with Docker:"
                + " docker compose -f docs/grafana/docker-compose.yml up -d");
        return new InfluxSetup(null);
    }

    static boolean answersPing(URI url) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        try {
            HttpRequest ping = HttpRequest.newBuilder(url.resolve("/ping")).timeout(Duration.ofSeconds(2)).build();
            return http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 204;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean startedPrivateServer() {
        return privateServer != null;
    }

    @Override
    public void close() {
        if (privateServer != null) {
            privateServer.close();
        }
    }
}

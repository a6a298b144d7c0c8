package io.rawmetrics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code java -jar target/metrics-dashboard.jar}, as the docs say to start it: one jar, the library's settings. */
class DashboardJarIT {

    private static final Path JAR = Path.of("target", "metrics-dashboard.jar");

    private static Process java(List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(arguments);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @Test
    void theJarServesTheDashboardsOfTheDatabaseTheSettingsName() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "mvn package builds " + JAR);
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary()) {
            Process dashboard = java(List.of("-Drawmetrics.influxdb.url=" + influxd.url(),
                    "-Drawmetrics.influxdb.database=shop", "-jar", JAR.toString(), "--port", "0"));
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(dashboard.getInputStream(), StandardCharsets.UTF_8));
                String banner = out.readLine();
                Matcher url = Pattern.compile("rawmetrics dashboard: (http://127\\.0\\.0\\.1:\\d+/) \\(database shop at "
                        + Pattern.quote(influxd.url().toString()) + "\\); stop with Ctrl-C").matcher(String.valueOf(banner));
                assertTrue(url.matches(), banner);
                HttpResponse<String> data = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(url.group(1)).resolve("/api/dashboards/raw-requests")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, data.statusCode());
                assertTrue(data.body().contains("\"message\":\"no points in the last 5 minutes in measurement raw-requests,"
                        + " database shop (which does not exist yet) at " + influxd.url()), data.body());
            } finally {
                dashboard.destroy();
                assertTrue(dashboard.waitFor(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void aBadArgumentIsReportedWithTheUsage() throws Exception {
        Process dashboard = java(List.of("-jar", JAR.toString(), "--port", "eighty"));
        assertTrue(dashboard.waitFor(60, TimeUnit.SECONDS));
        String said = new String(dashboard.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, dashboard.exitValue(), said);
        assertTrue(said.contains("error: --port 'eighty' must be a whole number from 0 to 65535"), said);
        assertTrue(said.contains(DashboardServer.USAGE), said);
    }
}

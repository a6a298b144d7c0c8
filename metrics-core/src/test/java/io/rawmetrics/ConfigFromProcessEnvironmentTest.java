package io.rawmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link RawMetricsConfig#fromEnvironment()} against a real process environment and real -D flags. */
class ConfigFromProcessEnvironmentTest {

    private static String run(Map<String, String> environment, String... systemProperties) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(systemProperties));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PrintConfig.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("RAWMETRICS_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("child JVM did not finish");
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void environmentVariablesConfigureAndSystemPropertiesWin() throws Exception {
        String out = run(Map.of("RAWMETRICS_INFLUXDB_DATABASE", "from_env", "RAWMETRICS_BATCH_SIZE", "123",
                        "RAWMETRICS_INFLUXDB_URL", "http://env-host:8086"),
                "-Drawmetrics.influxdb.url=http://property-host:8086");

        assertTrue(out.contains("database=from_env"), out);
        assertTrue(out.contains("batchSize=123"), out);
        assertTrue(out.contains("url=http://property-host:8086"), out);
    }

    @Test
    void aBadEnvironmentValueIsReportedWithItsKey() throws Exception {
        assertEquals("invalid rawmetrics.flush-interval: 'soon' is not a duration; write it like 500ms, 1s, 2m or PT1.5S",
                run(Map.of("RAWMETRICS_FLUSH_INTERVAL", "soon")));
    }
}

package io.rawmetrics.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rawmetrics.RawMetricsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void listsEveryKeyOfTheConfigurationInItsOrder() {
        assertEquals(RawMetricsConfig.KEYS, Settings.all().stream().map(Settings.Setting::key).toList());
    }

    @Test
    void namesEachKeysEnvironmentVariableAndWhichAreListsAndSecrets() {
        Settings.Setting batch = setting("rawmetrics.batch-size");
        assertEquals("RAWMETRICS_BATCH_SIZE", batch.environmentVariable());
        assertEquals(List.of("rawmetrics.function-modes"),
                Settings.all().stream().filter(Settings.Setting::list).map(Settings.Setting::key).toList());
        assertEquals(true, setting("rawmetrics.influxdb.password").secret());
        assertEquals(false, batch.secret());
    }

    @Test
    void theClosestOfAMisspeltKeyOrVariableIsTheOneMeant() {
        assertEquals("rawmetrics.batch-size", Settings.closest("rawmetrics.batch-sise"));
        assertEquals("RAWMETRICS_BATCH_SIZE", Settings.closest("RAWMETRICS_BATCH_SISE"));
        assertEquals("rawmetrics: ignoring the environment variable RAWMETRICS_BATCH_SISE: no such setting; did you mean"
                + " RAWMETRICS_BATCH_SIZE? (the settings are listed in docs/configuration.md)",
                Settings.unknown("environment variable", "RAWMETRICS_BATCH_SISE"));
    }

    private static Settings.Setting setting(String key) {
        return Settings.all().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }
}

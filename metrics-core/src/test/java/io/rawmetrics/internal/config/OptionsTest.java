package io.rawmetrics.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The table of keys, and the places that must agree with it. */
class OptionsTest {

    private static final Path CONFIGURATION_DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void theDocumentedKeyTableHasEveryKeyInOrderWithItsVariableAndDefault() throws IOException {
        List<String> documented = new ArrayList<>();
        for (String line : Files.readAllLines(CONFIGURATION_DOC)) {
            if (line.startsWith("| `rawmetrics.")) {
                String[] cells = line.split("\\|");
                documented.add(cells[1].strip() + " | " + cells[2].strip() + " | " + cells[3].strip());
            }
        }
        List<String> table = new ArrayList<>();
        for (Option<?> option : Options.ALL) {
            String defaultText = option.defaultText() == null || option.defaultText().isEmpty()
                    ? "none" : "`" + option.defaultText() + "`";
            table.add("`" + option.key() + "` | `" + option.environmentVariable() + "` | " + defaultText);
        }
        assertEquals(table, documented, "docs/configuration.md's key table, against Options");
    }

    @Test
    void theConfigurationsKeysAreTheTablesAndEachHasADescription() {
        assertEquals(Options.KEYS, RawMetricsConfig.KEYS);
        for (Option<?> option : Options.ALL) {
            assertEquals(RawMetricsConfig.environmentVariable(option.key()), option.environmentVariable());
            assertTrue(option.description().endsWith("."), option.key() + ": " + option.description());
            assertFalse(option.description().contains("\n"), option.key());
            assertNotNull(Options.byKey(option.key()));
        }
    }

    @Test
    void eachDefaultIsTheValueOfTheDefaultsConfiguration() {
        RawMetricsConfig defaults = RawMetricsConfig.defaults();
        for (Option<?> option : Options.ALL) {
            String shown = option.secret() ? "****" : String.valueOf(option.defaultValue());
            String expected = option.defaultValue() == null ? "null" : shown;
            assertTrue(defaults.toString().contains(option.shortName() + "=" + expected),
                    option.key() + " is shown as its default in " + defaults);
        }
    }

    @Test
    void theCredentialsAreSecretAndNothingElseIs() {
        assertEquals(Set.of(RawMetricsConfig.PASSWORD, RawMetricsConfig.TRUST_STORE_PASSWORD, RawMetricsConfig.TOKEN),
                Options.ALL.stream().filter(Option::secret).map(Option::key).collect(Collectors.toSet()));
    }
}

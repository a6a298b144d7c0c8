package io.rawmetrics.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.rawmetrics.internal.config.Options;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConfigurationMetadataTest {

    @Test
    void theShippedMetadataListsEveryKeyOfTheLibrarysTableWithItsDescriptionAndDefault() throws Exception {
        try (InputStream shipped = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertNotNull(shipped, "the jar has no META-INF/spring-configuration-metadata.json");
            assertEquals(ConfigurationMetadata.json(), new String(shipped.readAllBytes(), StandardCharsets.UTF_8),
                    "the metadata differs from the key table (" + Options.KEYS.size() + " keys): write it again with"
                    + " ConfigurationMetadata.main, run in rawmetrics-spring-boot-starter");
        }
    }
}

package io.rawmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawMetricsConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        RawMetricsConfig c = RawMetricsConfig.from(Map.of(), Map.of());
        assertEquals(URI.create("http://localhost:8086"), c.url());
        assertEquals("rawmetrics", c.database());
        assertNull(c.username());
        assertNull(c.password());
        assertNull(c.retentionPolicy());
        assertTrue(c.createDatabase());
        assertEquals("raw-requests", c.measurement());
        assertEquals(Duration.ofSeconds(1), c.flushInterval());
        assertEquals(5000, c.batchSize());
        assertEquals(100_000, c.bufferCapacity());
        assertTrue(c.enabled());
        assertEquals(Duration.ofSeconds(10), c.connectTimeout());
        assertEquals(Duration.ofSeconds(30), c.readTimeout());
        assertEquals(Duration.ofSeconds(5), c.shutdownTimeout());
        assertEquals(RawMetricsConfig.Mode.RAW, c.mode());
        assertEquals(Duration.ofSeconds(1), c.aggregationInterval());
        assertEquals(Map.of(), c.functionModes());
        assertFalse(c.aggregates());
        assertEquals(RawMetricsConfig.defaults(), c);
    }

    /** Every key, a value that differs from its default, and how to read it back. */
    static Stream<Arguments> everyKey() {
        return Stream.of(
                Arguments.of(RawMetricsConfig.URL, "https://influx.example:8443", (Function<RawMetricsConfig, Object>) c -> c.url().toString()),
                Arguments.of(RawMetricsConfig.DATABASE, "wsgi", (Function<RawMetricsConfig, Object>) RawMetricsConfig::database),
                Arguments.of(RawMetricsConfig.USERNAME, "wsgi", (Function<RawMetricsConfig, Object>) RawMetricsConfig::username),
                Arguments.of(RawMetricsConfig.RETENTION_POLICY, "one_week", (Function<RawMetricsConfig, Object>) RawMetricsConfig::retentionPolicy),
                Arguments.of(RawMetricsConfig.CREATE_DATABASE, "false", (Function<RawMetricsConfig, Object>) c -> String.valueOf(c.createDatabase())),
                Arguments.of(RawMetricsConfig.MEASUREMENT, "api-calls", (Function<RawMetricsConfig, Object>) RawMetricsConfig::measurement),
                Arguments.of(RawMetricsConfig.FLUSH_INTERVAL, "250ms", (Function<RawMetricsConfig, Object>) c -> c.flushInterval().toMillis() + "ms"),
                Arguments.of(RawMetricsConfig.BATCH_SIZE, "777", (Function<RawMetricsConfig, Object>) c -> String.valueOf(c.batchSize())),
                Arguments.of(RawMetricsConfig.BUFFER_CAPACITY, "42424", (Function<RawMetricsConfig, Object>) c -> String.valueOf(c.bufferCapacity())),
                Arguments.of(RawMetricsConfig.ENABLED, "false", (Function<RawMetricsConfig, Object>) c -> String.valueOf(c.enabled())),
                Arguments.of(RawMetricsConfig.CONNECT_TIMEOUT, "2500ms", (Function<RawMetricsConfig, Object>) c -> c.connectTimeout().toMillis() + "ms"),
                Arguments.of(RawMetricsConfig.READ_TIMEOUT, "7000ms", (Function<RawMetricsConfig, Object>) c -> c.readTimeout().toMillis() + "ms"),
                Arguments.of(RawMetricsConfig.SHUTDOWN_TIMEOUT, "12000ms", (Function<RawMetricsConfig, Object>) c -> c.shutdownTimeout().toMillis() + "ms"),
                Arguments.of(RawMetricsConfig.SELF_METRICS, "true", (Function<RawMetricsConfig, Object>) c -> String.valueOf(c.selfMetrics())),
                Arguments.of(RawMetricsConfig.MODE, "aggregated", (Function<RawMetricsConfig, Object>) c -> c.mode().toString()),
                Arguments.of(RawMetricsConfig.AGGREGATION_INTERVAL, "10000ms", (Function<RawMetricsConfig, Object>) c -> c.aggregationInterval().toMillis() + "ms"),
                Arguments.of(RawMetricsConfig.FUNCTION_MODES, "com.example.Cache.get=aggregated",
                        (Function<RawMetricsConfig, Object>) c -> c.functionModes().entrySet().iterator().next().toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKey")
    void eachKeyIsReadFromASystemProperty(String key, String value, Function<RawMetricsConfig, Object> read) {
        assertEquals(value, read.apply(RawMetricsConfig.from(Map.of(key, value), Map.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKey")
    void eachKeyIsReadFromTheEnvironment(String key, String value, Function<RawMetricsConfig, Object> read) {
        String variable = RawMetricsConfig.environmentVariable(key);
        assertEquals(value, read.apply(RawMetricsConfig.from(Map.of(), Map.of(variable, value))));
    }

    @Test
    void passwordIsReadFromBothPlacesAlongsideTheUser() {
        RawMetricsConfig fromProperty = RawMetricsConfig.from(
                Map.of(RawMetricsConfig.USERNAME, "u", RawMetricsConfig.PASSWORD, "s3cret"), Map.of());
        RawMetricsConfig fromEnvironment = RawMetricsConfig.from(Map.of(),
                Map.of("RAWMETRICS_INFLUXDB_USERNAME", "u", "RAWMETRICS_INFLUXDB_PASSWORD", "s3cret"));
        assertEquals("s3cret", fromProperty.password());
        assertEquals("s3cret", fromEnvironment.password());
    }

    @Test
    void trustStoreIsReadFromBothPlacesAndItsPasswordIsNeverShown(@TempDir Path dir) throws Exception {
        Path store = Files.createFile(dir.resolve("trust.p12"));
        RawMetricsConfig fromProperty = RawMetricsConfig.from(Map.of(RawMetricsConfig.TRUST_STORE, store.toString(),
                RawMetricsConfig.TRUST_STORE_PASSWORD, "t-secret"), Map.of());
        RawMetricsConfig fromEnvironment = RawMetricsConfig.from(Map.of(), Map.of("RAWMETRICS_INFLUXDB_TRUST_STORE",
                store.toString(), "RAWMETRICS_INFLUXDB_TRUST_STORE_PASSWORD", "t-secret"));
        assertEquals(store, fromProperty.trustStore());
        assertEquals(fromProperty, fromEnvironment);
        assertEquals("t-secret", fromEnvironment.trustStorePassword());
        assertFalse(fromProperty.toString().contains("t-secret"), fromProperty.toString());
    }

    @Test
    void environmentVariableNamesAreUpperCaseWithUnderscores() {
        assertEquals("RAWMETRICS_INFLUXDB_URL", RawMetricsConfig.environmentVariable(RawMetricsConfig.URL));
        assertEquals("RAWMETRICS_INFLUXDB_RETENTION_POLICY",
                RawMetricsConfig.environmentVariable(RawMetricsConfig.RETENTION_POLICY));
    }

    @Test
    void systemPropertyWinsOverTheEnvironment() {
        RawMetricsConfig c = RawMetricsConfig.from(Map.of(RawMetricsConfig.DATABASE, "from-property"),
                Map.of("RAWMETRICS_INFLUXDB_DATABASE", "from-environment"));
        assertEquals("from-property", c.database());
    }

    @Test
    void anApplicationsOwnDefaultsApplyWhereTheEnvironmentIsSilent() {
        RawMetricsConfig appDefaults = RawMetricsConfig.builder().database("wsgi").credentials("wsgi", "wsgi").build();
        System.setProperty(RawMetricsConfig.BATCH_SIZE, "250");
        try {
            RawMetricsConfig c = RawMetricsConfig.fromEnvironment(appDefaults);
            assertEquals("wsgi", c.database());
            assertEquals("wsgi", c.username());
            assertEquals(250, c.batchSize());
        } finally {
            System.clearProperty(RawMetricsConfig.BATCH_SIZE);
        }
    }

    @Test
    void unrelatedPropertiesAndVariablesAreIgnored() {
        RawMetricsConfig c = RawMetricsConfig.from(Map.of("java.version", "17", "rawmetricsX", "1"),
                Map.of("PATH", "/bin", "RAWMETRICSX", "1"));
        assertEquals(RawMetricsConfig.defaults(), c);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "rawmetrics.influxdb.url|localhost:8086|'localhost:8086'",
            "rawmetrics.influxdb.url|ftp://host|'ftp://host'",
            "rawmetrics.influxdb.url|http://exa mple|'http://exa mple'",
            "rawmetrics.influxdb.database|'  '|must not be empty",
            "rawmetrics.influxdb.create-database|yes|'yes' must be true or false",
            "rawmetrics.enabled|1|'1' must be true or false",
            "rawmetrics.measurement|#comment|#comment",
            "rawmetrics.measurement|a\\|a\\",
            "rawmetrics.flush-interval|10|'10' is not a duration",
            "rawmetrics.flush-interval|0s|'PT0S' must be at least 1ms",
            "rawmetrics.flush-interval|-1s|'-1s' is not a duration",
            "rawmetrics.batch-size|many|'many' is not a whole number",
            "rawmetrics.batch-size|0|'0' must be from 1 to 100000",
            "rawmetrics.batch-size|100001|'100001' must be from 1 to 100000",
            "rawmetrics.buffer-capacity|-5|'-5' must be at least 1",
            "rawmetrics.influxdb.password|x|is set but rawmetrics.influxdb.username is not",
            "rawmetrics.influxdb.connect-timeout|0s|'PT0S' must be at least 1ms",
            "rawmetrics.influxdb.read-timeout|later|'later' is not a duration",
            "rawmetrics.shutdown-timeout|-PT1S|'PT-1S' must not be negative",
            "rawmetrics.mode|aggregate|'aggregate': the mode must be raw, aggregated or both",
            "rawmetrics.aggregation-interval|5ms|'PT0.005S' must be at least 10ms",
            "rawmetrics.aggregation-interval|15500us|'PT0.0155S' must be a whole number of milliseconds",
            "rawmetrics.function-modes|com.example.Cache.get|'com.example.Cache.get' must be written function=mode",
            "rawmetrics.function-modes|com.example.Cache.get=fast|'com.example.Cache.get=fast': the mode must be raw, aggregated or both",
            "rawmetrics.function-modes|com.*.get=both|'com.*.get' must be a function (com.example.Shop.checkout) or a prefix ending in *",
            "rawmetrics.function-modes|a.B.c=raw, a.B.c=both|'a.B.c' is given twice",
    })
    void invalidValueFailsNamingTheKeyAndTheValue(String key, String value, String expected) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RawMetricsConfig.from(Map.of(key, value), Map.of()));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aFunctionsModeIsItsOwnEntryElseTheLongestPrefixElseTheGlobalMode() {
        RawMetricsConfig c = RawMetricsConfig.from(Map.of(RawMetricsConfig.MODE, "both",
                RawMetricsConfig.FUNCTION_MODES, "com.example.*=aggregated, com.example.admin.*=raw, com.example.Cache.get=raw"), Map.of());
        assertEquals(RawMetricsConfig.Mode.RAW, c.modeOf("com.example.Cache.get"));
        assertEquals(RawMetricsConfig.Mode.AGGREGATED, c.modeOf("com.example.Cache.put"));
        assertEquals(RawMetricsConfig.Mode.RAW, c.modeOf("com.example.admin.Users.list"));
        assertEquals(RawMetricsConfig.Mode.BOTH, c.modeOf("org.other.Thing.run"));
        assertTrue(c.aggregates());
        assertTrue(RawMetricsConfig.from(Map.of(RawMetricsConfig.FUNCTION_MODES, "a.B.c=aggregated"), Map.of()).aggregates());
        assertFalse(RawMetricsConfig.from(Map.of(RawMetricsConfig.FUNCTION_MODES, "a.B.c=raw"), Map.of()).aggregates());
    }

    @Test
    void aBatchLargerThanTheBufferIsRejectedNamingBoth() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RawMetricsConfig.builder().bufferCapacity(10).batchSize(100).build());
        assertEquals(RawMetricsConfig.BATCH_SIZE, e.key());
        assertTrue(e.getMessage().contains(RawMetricsConfig.BUFFER_CAPACITY), e.getMessage());
    }

    @Test
    void anUnknownSystemPropertyIsAWarningNamingTheClosestKeyAndTheRestIsApplied() {
        List<String> warnings = new ArrayList<>();
        RawMetricsConfig config = RawMetricsConfig.from(Map.of("rawmetrics.flush-intervall", "1s",
                "rawmetrics.version", "0.1.0-SNAPSHOT", RawMetricsConfig.BATCH_SIZE, "77"), Map.of(), warnings::add);

        assertEquals(77, config.batchSize());
        assertEquals(List.of(
                "rawmetrics: ignoring the system property rawmetrics.flush-intervall: no such setting; did you mean "
                        + "rawmetrics.flush-interval? (the settings are listed in docs/configuration.md)",
                "rawmetrics: ignoring the system property rawmetrics.version: no such setting; did you mean "
                        + "rawmetrics.enabled? (the settings are listed in docs/configuration.md)"), warnings);
    }

    @Test
    void anUnknownEnvironmentVariableIsAWarningNamingTheClosestVariable() {
        List<String> warnings = new ArrayList<>();
        RawMetricsConfig config = RawMetricsConfig.from(Map.of(),
                Map.of("RAWMETRICS_BATCHSIZE", "1", "RAWMETRICS_INFLUXDB_DATABASE", "shop"), warnings::add);

        assertEquals("shop", config.database());
        assertEquals(List.of("rawmetrics: ignoring the environment variable RAWMETRICS_BATCHSIZE: no such setting; "
                + "did you mean RAWMETRICS_BATCH_SIZE? (the settings are listed in docs/configuration.md)"), warnings);
    }

    @Test
    void anUnknownKeyGivenInCodeIsStillAnError() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RawMetricsConfig.builder().set("rawmetrics.flush-intervall", "1s"));
        assertEquals("rawmetrics.flush-intervall", e.key());
    }

    @Test
    void theV2ApiIsReadWithItsOrgBucketAndToken() {
        RawMetricsConfig config = RawMetricsConfig.from(Map.of(RawMetricsConfig.API, "V2", RawMetricsConfig.ORG, "acme",
                RawMetricsConfig.BUCKET, "requests", RawMetricsConfig.TOKEN, "s3cret", RawMetricsConfig.GZIP, "true"), Map.of());
        assertEquals(RawMetricsConfig.WriteApi.V2, config.api());
        assertEquals("acme", config.org());
        assertEquals("requests", config.bucket());
        assertEquals("s3cret", config.token());
        assertTrue(config.gzip());
        assertFalse(config.toString().contains("s3cret"), "the token is never shown: " + config);
        assertEquals(RawMetricsConfig.WriteApi.V1, RawMetricsConfig.defaults().api());
    }

    @Test
    void theV2ApiNeedsABucketAndAToken() {
        InvalidConfigurationException noBucket = assertThrows(InvalidConfigurationException.class,
                () -> RawMetricsConfig.builder().api(RawMetricsConfig.WriteApi.V2).build());
        assertEquals("rawmetrics.influxdb.bucket: must be set when rawmetrics.influxdb.api is v2", noBucket.getMessage());
        InvalidConfigurationException user = assertThrows(InvalidConfigurationException.class,
                () -> RawMetricsConfig.builder().api(RawMetricsConfig.WriteApi.V2).orgAndBucket("o", "b")
                        .credentials("u", "p").build());
        assertEquals(RawMetricsConfig.USERNAME, user.key());
        InvalidConfigurationException bucketWithV1 = assertThrows(InvalidConfigurationException.class,
                () -> RawMetricsConfig.builder().orgAndBucket(null, "b").build());
        assertEquals("rawmetrics.influxdb.bucket: is used by the v2 API only; set rawmetrics.influxdb.api=v2,"
                + " or name the database with rawmetrics.influxdb.database", bucketWithV1.getMessage());
        InvalidConfigurationException api = assertThrows(InvalidConfigurationException.class,
                () -> RawMetricsConfig.builder().set(RawMetricsConfig.API, "v3"));
        assertEquals("rawmetrics.influxdb.api: 'v3' must be v1 or v2", api.getMessage());
        InvalidConfigurationException both = assertThrows(InvalidConfigurationException.class,
                () -> RawMetricsConfig.builder().credentials("u", "p").token("t").build());
        assertEquals(RawMetricsConfig.TOKEN, both.key());
    }

    @Test
    void maxBatchBytesIsReadAndBounded() {
        assertEquals(10_000_000, RawMetricsConfig.defaults().maxBatchBytes());
        assertEquals(2_000_000, RawMetricsConfig.from(Map.of(RawMetricsConfig.MAX_BATCH_BYTES, "2_000_000"), Map.of())
                .maxBatchBytes());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RawMetricsConfig.builder().maxBatchBytes(100).build());
        assertEquals(RawMetricsConfig.MAX_BATCH_BYTES, e.key());
        assertTrue(e.getMessage().contains("'100' must be from 1024"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "1s, PT1S", "2m, PT2M", "1h, PT1H", "1500us, PT0.0015S", "PT1.5S, PT1.5S", "1S, PT1S"})
    void durationsAreReadInShortAndIsoForms(String text, String iso) {
        assertEquals(Duration.parse(iso), RawMetricsConfig.from(Map.of(RawMetricsConfig.FLUSH_INTERVAL, text), Map.of())
                .flushInterval());
    }

    @Test
    void passwordAppearsInNoErrorAndNoToString() {
        RawMetricsConfig c = RawMetricsConfig.builder().credentials("wsgi", "hunter2").build();
        assertFalse(c.toString().contains("hunter2"), c.toString());
        assertTrue(c.toString().contains("password=****"));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RawMetricsConfig.from(Map.of(RawMetricsConfig.PASSWORD, "hunter2"), Map.of()));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void credentialsInTheUrlAreRejectedSoTheyAreNeverLogged() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RawMetricsConfig.builder().url("http://wsgi:hunter2@localhost:8086"));
        assertEquals(RawMetricsConfig.URL, e.key());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void toBuilderKeepsEveryOption() {
        RawMetricsConfig c = RawMetricsConfig.builder().url("http://h:1").database("d").credentials("u", "p")
                .retentionPolicy("rp").createDatabase(false).measurement("m").flushInterval(Duration.ofSeconds(3))
                .batchSize(10).bufferCapacity(20).enabled(false).timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .shutdownTimeout(Duration.ofSeconds(3)).shutdownHook(false).build();
        assertEquals(c, c.toBuilder().build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKey")
    void aConfigurationDifferingInOneKeyIsNotEqualAndShowsIt(String key, String value, Function<RawMetricsConfig, Object> read) {
        RawMetricsConfig defaults = RawMetricsConfig.defaults();
        RawMetricsConfig changed = RawMetricsConfig.builder().set(key, value).build();

        assertNotEquals(defaults, changed);
        assertNotEquals(defaults.hashCode(), changed.hashCode());
        assertNotEquals(defaults.toString(), changed.toString());
        RawMetricsConfig again = RawMetricsConfig.builder().set(key, value).build();
        assertEquals(changed, again);
        assertEquals(changed.hashCode(), again.hashCode());
        assertEquals(changed, changed.toBuilder().build(), "toBuilder keeps every value");
    }

    @Test
    void everyBadValueFromTheEnvironmentIsReportedAtOnce() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> RawMetricsConfig.from(
                Map.of(RawMetricsConfig.BATCH_SIZE, "lots", RawMetricsConfig.FLUSH_INTERVAL, "0ms"),
                Map.of("RAWMETRICS_MODE", "fast")));

        assertEquals(List.of(RawMetricsConfig.BATCH_SIZE, RawMetricsConfig.MODE, RawMetricsConfig.FLUSH_INTERVAL),
                e.problems().stream().map(InvalidConfigurationException::key).toList());
        assertEquals(RawMetricsConfig.BATCH_SIZE, e.key());
        assertEquals("""
                3 configuration values cannot be used:
                  rawmetrics.batch-size: 'lots' is not a whole number
                  rawmetrics.mode: 'fast': the mode must be raw, aggregated or both
                  rawmetrics.flush-interval: 'PT0S' must be at least 1ms""", e.getMessage());
    }

    @Test
    void everyBadValueGivenInCodeIsReportedAtOnce() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RawMetricsConfig.builder().measurement("").batchSize(0).bufferCapacity(0).build());

        // In table order; the batch larger than the buffer is not said too: each value is wrong on its own.
        assertEquals(List.of(RawMetricsConfig.MEASUREMENT, RawMetricsConfig.BATCH_SIZE, RawMetricsConfig.BUFFER_CAPACITY),
                e.problems().stream().map(InvalidConfigurationException::key).toList());
    }

    @Test
    void aMistypedValueIsNotAlsoReportedAsAContradiction() {
        // With api unreadable, the bucket would contradict the default v1 API: only the typo is reported.
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> RawMetricsConfig.from(
                Map.of(RawMetricsConfig.API, "v3", RawMetricsConfig.BUCKET, "metrics"), Map.of()));

        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals(RawMetricsConfig.API + ": 'v3' must be v1 or v2", e.getMessage());
    }
}

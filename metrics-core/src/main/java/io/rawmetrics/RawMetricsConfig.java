package io.rawmetrics;

import io.rawmetrics.internal.config.ConfigSources;
import io.rawmetrics.internal.config.Option;
import io.rawmetrics.internal.config.Options;
import io.rawmetrics.internal.config.Parsers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Everything the library can be told, validated once. Immutable. One class, over 350 lines,
 * because it is the public configuration API: per key a documented constant, a getter and a
 * builder method; the rest is the table's ({@code io.rawmetrics.internal.config.Options}).
 *
 * <p>Three ways to build one: {@link #fromEnvironment()} (system properties, then environment
 * variables, then defaults), {@link #builder()} (defaults plus what you set), or
 * {@code fromEnvironment().toBuilder()} to start from the environment and override in code.
 *
 * <p>Each option has a key, spelled as below. In the environment the key is upper case with
 * {@code _} for {@code .} and {@code -}: {@code rawmetrics.influxdb.url} is
 * {@code RAWMETRICS_INFLUXDB_URL}. A system property wins over the environment. An unknown key
 * under {@code rawmetrics.} (or {@code RAWMETRICS_}) in the system properties or the environment
 * is logged as a warning naming the closest known key, and ignored: such names are also used for
 * other things (a build's {@code -Drawmetrics.version=...}), and a typo there must not stop the
 * application from recording. An unknown key given in code, to {@link Builder#set}, is an error.
 *
 * <p>The keys are one table ({@code io.rawmetrics.internal.config.Options}): their defaults,
 * parsing, checks, {@link #KEYS}, {@link #toString()}, {@link #equals} and {@link #hashCode} come
 * from it. Only the keys' names are spelled here, as the constants below, which the table refers
 * to: a constant taken from the table would not be a compile-time constant, and users put these in
 * annotations ({@code @ConditionalOnProperty(name = RawMetricsConfig.URL)}). A configuration with several bad values names all of them at once
 * ({@link InvalidConfigurationException#problems()}).
 */
public final class RawMetricsConfig {

    /** The InfluxDB HTTP API. The default is {@code http://localhost:8086}. */
    public static final String URL = "rawmetrics.influxdb.url";
    /** The database written to. The default is {@code rawmetrics}. */
    public static final String DATABASE = "rawmetrics.influxdb.database";
    /** User for basic authentication. The default is none (no authentication). */
    public static final String USERNAME = "rawmetrics.influxdb.username";
    /** Password for basic authentication. The default is none. Never logged. */
    public static final String PASSWORD = "rawmetrics.influxdb.password";
    /** Retention policy written to. The default is none: the database's default policy. */
    public static final String RETENTION_POLICY = "rawmetrics.influxdb.retention-policy";
    /** Whether to run {@code CREATE DATABASE} at start. The default is {@code true}. */
    public static final String CREATE_DATABASE = "rawmetrics.influxdb.create-database";
    /** Measurement of points whose annotation names none. The default is {@code raw-requests}. */
    public static final String MEASUREMENT = "rawmetrics.measurement";
    /** How often buffered points are written. The default is {@code 1s}. */
    public static final String FLUSH_INTERVAL = "rawmetrics.flush-interval";
    /** Points per write request, at most 100000; a full batch is written without waiting for the interval. The default is {@code 5000}. */
    public static final String BATCH_SIZE = "rawmetrics.batch-size";
    /**
     * Most bytes of line protocol per write request; a single point larger than this is sent on
     * its own. InfluxDB 1.x refuses request bodies over its {@code max-body-size}, 25 MB by default,
     * with HTTP 413 (the writer then sends the batch again in halves). The default is
     * {@code 10000000} (10 MB).
     */
    public static final String MAX_BATCH_BYTES = "rawmetrics.max-batch-bytes";
    /** Most points held in memory waiting to be written; beyond it new calls are dropped and counted. The default is {@code 100000}. */
    public static final String BUFFER_CAPACITY = "rawmetrics.buffer-capacity";
    /**
     * A directory where encoded batches are put aside when InfluxDB is unavailable and the memory
     * buffer fills, and from which they are delivered once it answers, by this process or the next
     * one that starts with the same directory. The default is none: no spool, memory only.
     */
    public static final String SPOOL_DIRECTORY = "rawmetrics.spool-directory";
    /** The most bytes the spool's files hold; at the cap the newest calls wait in memory. The default is {@code 1GiB}. */
    public static final String SPOOL_MAX_BYTES = "rawmetrics.spool-max-bytes";
    /** Whether timed calls are recorded at all. The default is {@code true}. */
    public static final String ENABLED = "rawmetrics.enabled";
    /**
     * For an {@code https} URL: a trust store (PKCS12 or JKS) holding the certificates to trust,
     * for a server whose certificate no public authority signed. The default is none: the JVM's
     * own trust store.
     */
    public static final String TRUST_STORE = "rawmetrics.influxdb.trust-store";
    /** The trust store's password, if it has one. The default is none. Never logged. */
    public static final String TRUST_STORE_PASSWORD = "rawmetrics.influxdb.trust-store-password";
    /**
     * The write API: {@code v1} ({@code /write?db=}, InfluxDB 1.x and engines that speak it) or
     * {@code v2} ({@code /api/v2/write?org=&bucket=}, InfluxDB 2.x, 3.x, Cloud, VictoriaMetrics).
     * The default is {@code v1}.
     */
    public static final String API = "rawmetrics.influxdb.api";
    /** With the v2 API: the organization. The default is none (InfluxDB 2.x and Cloud need one). */
    public static final String ORG = "rawmetrics.influxdb.org";
    /** With the v2 API: the bucket written to; required there. The default is none. */
    public static final String BUCKET = "rawmetrics.influxdb.bucket";
    /**
     * An API token, sent as {@code Authorization: Token ...} with either API (InfluxDB 2.x and
     * 3.x's v1 compatibility API take it too). The default is none. Never logged.
     */
    public static final String TOKEN = "rawmetrics.influxdb.token";
    /** Whether write requests are gzip-compressed. The default is {@code false} (see docs/performance.md). */
    public static final String GZIP = "rawmetrics.influxdb.gzip";
    /** How long to wait for a TCP connection to InfluxDB. The default is {@code 10s}. */
    public static final String CONNECT_TIMEOUT = "rawmetrics.influxdb.connect-timeout";
    /** How long to wait for InfluxDB to answer a write; then the write is retried. The default is {@code 30s}. */
    public static final String READ_TIMEOUT = "rawmetrics.influxdb.read-timeout";
    /**
     * The longest wait between two attempts to write while InfluxDB is unavailable: the back-off
     * doubles from 100 ms up to it, so a server that is back is written to within about this long.
     * The default is {@code 5s}.
     */
    public static final String RETRY_MAX_INTERVAL = "rawmetrics.retry-max-interval";
    /** How long the JVM shutdown hook spends writing what is left. The default is {@code 5s}. */
    public static final String SHUTDOWN_TIMEOUT = "rawmetrics.shutdown-timeout";
    /**
     * Whether the library also writes its own counters (measurement {@code rawmetrics}) on each
     * flush. The default is {@code false}.
     */
    public static final String SELF_METRICS = "rawmetrics.self-metrics";
    /**
     * What a timed call becomes: {@code raw} (one point per call, the default), {@code aggregated}
     * (per-interval aggregates: the workshop's {@code request-metrics} and per-function
     * {@code function-metrics}) or {@code both}.
     */
    public static final String MODE = "rawmetrics.mode";
    /**
     * How often aggregated points are written, aligned to multiples of it since the epoch so that
     * processes' points line up. The default is {@code 1s}.
     */
    public static final String AGGREGATION_INTERVAL = "rawmetrics.aggregation-interval";
    /**
     * Modes for some functions, overriding {@value #MODE}: comma-separated {@code function=mode}
     * pairs, where function is a {@code function} tag value or a prefix ending in {@code *}, e.g.
     * {@code com.example.Cache.get=aggregated,com.example.admin.*=both}. The longest match wins.
     */
    public static final String FUNCTION_MODES = "rawmetrics.function-modes";
    /**
     * The most distinct values a {@link io.rawmetrics.Tag @Tag} of one function takes; a value past
     * it is written as {@code other}, and counted. The default is {@code 100}.
     */
    public static final String MAX_TAG_VALUES = "rawmetrics.max-tag-values";
    /**
     * The most characters of a {@link io.rawmetrics.Tag @Tag}'s value; a longer value is cut to
     * it, and counted. The default is {@code 256}.
     */
    public static final String MAX_TAG_VALUE_LENGTH = "rawmetrics.max-tag-value-length";
    /**
     * Whether a call made inside an OpenTelemetry span carries that span's {@code trace_id} and
     * {@code span_id} as fields of its raw point (and, in the aggregated mode, each interval's
     * slowest call its {@code trace_id}). Takes effect only where {@code opentelemetry-api} is on
     * the class path. The default is {@code true}.
     */
    public static final String TRACE_IDS = "rawmetrics.trace-ids";

    /** Every key, in documentation order. */
    public static final List<String> KEYS = Options.KEYS;

    /** Each option's value, indexed like {@link Options#ALL}. */
    private final Object[] values;
    /** Set in code only: see {@link Builder#shutdownHook(boolean)}. */
    private final boolean shutdownHook;

    private RawMetricsConfig(Builder b) {
        this.values = b.values.clone();
        Options.FUNCTION_MODES.set(values, Collections.unmodifiableMap(new TreeMap<>(Options.FUNCTION_MODES.in(values))));
        this.shutdownHook = b.shutdownHook;
    }

    /** The defaults, as documented on each key. */
    public static RawMetricsConfig defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The configuration from system properties and environment variables.
     *
     * @throws InvalidConfigurationException naming every bad key
     */
    public static RawMetricsConfig fromEnvironment() {
        return fromEnvironment(defaults());
    }

    /**
     * The configuration from system properties and environment variables, falling back to
     * {@code defaults} (rather than the library's defaults) for what they don't set. An
     * application with defaults of its own, like the demo's database {@code wsgi}, uses this.
     *
     * @throws InvalidConfigurationException naming every bad key
     */
    public static RawMetricsConfig fromEnvironment(RawMetricsConfig defaults) {
        Properties properties = System.getProperties();
        Map<String, String> systemProperties = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            systemProperties.put(name, properties.getProperty(name));
        }
        return ConfigSources.read(systemProperties, System.getenv(), defaults, ConfigSources::warnOnce);
    }

    /** The configuration from the given system properties and environment (testable form of {@link #fromEnvironment()}). */
    static RawMetricsConfig from(Map<String, String> systemProperties, Map<String, String> environment) {
        return ConfigSources.read(systemProperties, environment, defaults(), ConfigSources::warnOnce);
    }

    /** Like {@link #from(Map, Map)}, handing each warning about an unknown key to {@code warnings}. */
    static RawMetricsConfig from(Map<String, String> systemProperties, Map<String, String> environment,
            Consumer<String> warnings) {
        return ConfigSources.read(systemProperties, environment, defaults(), warnings);
    }

    /** The environment variable for a key: {@code rawmetrics.batch-size} is {@code RAWMETRICS_BATCH_SIZE}. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static InvalidConfigurationException unknownKey(String name) {
        return new InvalidConfigurationException(name, "unknown key; the keys are " + KEYS
                + " (or, in the environment, the same in upper case with '_' for '.' and '-')");
    }

    private <T> T value(Option<T> option) {
        return option.in(values);
    }

    /** {@value #URL}: InfluxDB's HTTP API. */
    public URI url() {
        return value(Options.URL);
    }

    /** {@value #DATABASE}: the database written to. */
    public String database() {
        return value(Options.DATABASE_NAME);
    }

    /** The user, or {@code null} when no authentication is used. */
    public String username() {
        return value(Options.USER);
    }

    /** The password, or {@code null}. */
    public String password() {
        return value(Options.USER_PASSWORD);
    }

    /** The retention policy, or {@code null} for the database's default. */
    public String retentionPolicy() {
        return value(Options.RETENTION_POLICY);
    }

    /** {@value #CREATE_DATABASE}: whether {@code CREATE DATABASE} runs when recording starts. */
    public boolean createDatabase() {
        return value(Options.CREATE_DATABASE);
    }

    /** {@value #MEASUREMENT}: the measurement of points whose annotation names none. */
    public String measurement() {
        return value(Options.MEASUREMENT);
    }

    /** {@value #FLUSH_INTERVAL}: how often buffered points are written. */
    public Duration flushInterval() {
        return value(Options.FLUSH_INTERVAL);
    }

    /** {@value #BATCH_SIZE}: most points per write request. */
    public int batchSize() {
        return value(Options.BATCH);
    }

    /** {@value #MAX_BATCH_BYTES}: most bytes of line protocol per write request (a single larger point is sent alone). */
    public int maxBatchBytes() {
        return value(Options.MAX_BATCH_BYTES);
    }

    /** {@value #BUFFER_CAPACITY}: most points held waiting to be written. */
    public int bufferCapacity() {
        return value(Options.CAPACITY);
    }

    /** {@value #SPOOL_DIRECTORY}: where batches are put aside during a long outage, or {@code null} for no spool. */
    public Path spoolDirectory() {
        return value(Options.SPOOL_DIRECTORY);
    }

    /** {@value #SPOOL_MAX_BYTES}: the most bytes the spool holds. */
    public long spoolMaxBytes() {
        return value(Options.SPOOL_MAX_BYTES);
    }

    /** {@value #ENABLED}: whether timed calls are recorded at all. */
    public boolean enabled() {
        return value(Options.ENABLED);
    }

    /** {@value #TRACE_IDS}: whether points carry the trace and span ids of the span their call ran in. */
    public boolean traceIds() {
        return value(Options.TRACE_IDS);
    }

    /** Whether the library's own counters are written too. */
    public boolean selfMetrics() {
        return value(Options.SELF_METRICS);
    }

    /** The trust store for HTTPS, or {@code null} for the JVM's default. */
    public Path trustStore() {
        return value(Options.TRUST_STORE);
    }

    /** The trust store's password, or {@code null}. */
    public String trustStorePassword() {
        return value(Options.TRUST_STORE_PASSWORD);
    }

    /** {@value #API}: which write API is used. */
    public WriteApi api() {
        return value(Options.WRITE_API);
    }

    /** {@value #ORG}: the organization for the v2 API, or {@code null}. */
    public String org() {
        return value(Options.ORGANIZATION);
    }

    /** {@value #BUCKET}: the bucket for the v2 API, or {@code null}. */
    public String bucket() {
        return value(Options.BUCKET_NAME);
    }

    /** {@value #TOKEN}: the API token, or {@code null}. */
    public String token() {
        return value(Options.API_TOKEN);
    }

    /** {@value #GZIP}: whether write requests are compressed. */
    public boolean gzip() {
        return value(Options.GZIP);
    }

    /** {@value #MODE}. */
    public Mode mode() {
        return value(Options.MODE);
    }

    /** {@value #AGGREGATION_INTERVAL}. */
    public Duration aggregationInterval() {
        return value(Options.AGGREGATION);
    }

    /** {@value #FUNCTION_MODES}: function name, or prefix ending in {@code *}, to its mode; sorted. */
    public Map<String, Mode> functionModes() {
        return value(Options.FUNCTION_MODES);
    }

    /** {@value #MAX_TAG_VALUES}. */
    public int maxTagValues() {
        return value(Options.MAX_TAG_VALUES);
    }

    /** {@value #MAX_TAG_VALUE_LENGTH}. */
    public int maxTagValueLength() {
        return value(Options.MAX_TAG_VALUE_LENGTH);
    }

    /**
     * The mode of {@code function}: the longest entry of {@link #functionModes()} that names it or
     * a prefix of it, else {@link #mode()}.
     */
    public Mode modeOf(String function) {
        Map<String, Mode> functionModes = functionModes();
        Mode found = functionModes.get(function);
        if (found != null) {
            return found;
        }
        int longest = -1;
        found = mode();
        for (Map.Entry<String, Mode> entry : functionModes.entrySet()) {
            String key = entry.getKey();
            if (key.endsWith("*") && key.length() > longest && function.startsWith(key.substring(0, key.length() - 1))) {
                longest = key.length();
                found = entry.getValue();
            }
        }
        return found;
    }

    /** Whether any call can be aggregated with this configuration. */
    public boolean aggregates() {
        return mode() != Mode.RAW || functionModes().values().stream().anyMatch(m -> m != Mode.RAW);
    }

    /** What a timed call becomes; see {@link #MODE}. */
    public enum Mode {
        /** One point per call in the raw measurement. */
        RAW,
        /** Counted in the interval's aggregates only. */
        AGGREGATED,
        /** Both: a raw point and the aggregates. */
        BOTH;

        /** Whether a call in this mode is written as a raw point. */
        public boolean raw() {
            return this != AGGREGATED;
        }

        /** Whether a call in this mode is counted in the aggregates. */
        public boolean aggregated() {
            return this != RAW;
        }

        /** As written in settings: {@code raw}, {@code aggregated}, {@code both}. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The write APIs: {@link #V1} is InfluxDB 1.x's {@code /write}, {@link #V2} is {@code /api/v2/write}. */
    public enum WriteApi {
        /** {@code /write?db=&rp=&precision=ns}. */
        V1,
        /** {@code /api/v2/write?org=&bucket=&precision=ns}. */
        V2
    }

    /** {@value #CONNECT_TIMEOUT}: how long to wait for a connection to InfluxDB. */
    public Duration connectTimeout() {
        return value(Options.CONNECT_TIMEOUT);
    }

    /** {@value #READ_TIMEOUT}: how long to wait for InfluxDB to answer a write. */
    public Duration readTimeout() {
        return value(Options.READ_TIMEOUT);
    }

    /** {@value #RETRY_MAX_INTERVAL}: the longest wait between two attempts to write during an outage. */
    public Duration retryMaxInterval() {
        return value(Options.RETRY_MAX_INTERVAL);
    }

    /** How long the shutdown hook writes what is left. */
    public Duration shutdownTimeout() {
        return value(Options.SHUTDOWN_TIMEOUT);
    }

    /** Whether a JVM shutdown hook writes what is left; see {@link Builder#shutdownHook(boolean)}. */
    public boolean shutdownHook() {
        return shutdownHook;
    }

    /** All options, in documentation order; secrets (passwords, the token) are shown as {@code ****}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("RawMetricsConfig{");
        for (Option<?> option : Options.ALL) {
            text.append(option.shortName()).append('=').append(option.show(values[option.index()])).append(", ");
        }
        return text.append("shutdownHook=").append(shutdownHook).append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawMetricsConfig c && Arrays.equals(values, c.values) && shutdownHook == c.shutdownHook;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(values) + Boolean.hashCode(shutdownHook);
    }

    /** Builds a {@link RawMetricsConfig}; {@link #build()} validates. */
    public static final class Builder {
        private final Object[] values;
        private boolean shutdownHook = true;

        private Builder() {
            values = Options.defaults();
        }

        private Builder(RawMetricsConfig c) {
            values = c.values.clone();
            shutdownHook = c.shutdownHook;
        }

        private <T> Builder put(Option<T> option, T value) {
            option.set(values, value);
            return this;
        }

        /** {@value RawMetricsConfig#URL}: an {@code http} or {@code https} URL. */
        public Builder url(String url) {
            return set(URL, url);
        }

        /** {@value RawMetricsConfig#DATABASE}. */
        public Builder database(String database) {
            return put(Options.DATABASE_NAME, database);
        }

        /** {@value RawMetricsConfig#USERNAME} and {@value RawMetricsConfig#PASSWORD}. */
        public Builder credentials(String username, String password) {
            return put(Options.USER, username).put(Options.USER_PASSWORD, password);
        }

        /** {@value RawMetricsConfig#RETENTION_POLICY}; {@code null} for the database's default. */
        public Builder retentionPolicy(String retentionPolicy) {
            return put(Options.RETENTION_POLICY, retentionPolicy);
        }

        /** {@value RawMetricsConfig#CREATE_DATABASE}. */
        public Builder createDatabase(boolean createDatabase) {
            return put(Options.CREATE_DATABASE, createDatabase);
        }

        /** {@value RawMetricsConfig#MEASUREMENT}. */
        public Builder measurement(String measurement) {
            return put(Options.MEASUREMENT, measurement);
        }

        /** {@value RawMetricsConfig#FLUSH_INTERVAL}. */
        public Builder flushInterval(Duration flushInterval) {
            return put(Options.FLUSH_INTERVAL, flushInterval);
        }

        /** {@value RawMetricsConfig#BATCH_SIZE}. */
        public Builder batchSize(int batchSize) {
            return put(Options.BATCH, batchSize);
        }

        /** {@value RawMetricsConfig#MAX_BATCH_BYTES}. */
        public Builder maxBatchBytes(int maxBatchBytes) {
            return put(Options.MAX_BATCH_BYTES, maxBatchBytes);
        }

        /** {@value RawMetricsConfig#BUFFER_CAPACITY}. */
        public Builder bufferCapacity(int bufferCapacity) {
            return put(Options.CAPACITY, bufferCapacity);
        }

        /** {@value RawMetricsConfig#SPOOL_DIRECTORY}; {@code null} for no spool. */
        public Builder spoolDirectory(Path spoolDirectory) {
            return put(Options.SPOOL_DIRECTORY, spoolDirectory);
        }

        /** {@value RawMetricsConfig#SPOOL_MAX_BYTES}. */
        public Builder spoolMaxBytes(long spoolMaxBytes) {
            return put(Options.SPOOL_MAX_BYTES, spoolMaxBytes);
        }

        /** {@value RawMetricsConfig#ENABLED}. */
        public Builder enabled(boolean enabled) {
            return put(Options.ENABLED, enabled);
        }

        /** {@value RawMetricsConfig#CONNECT_TIMEOUT} and {@value RawMetricsConfig#READ_TIMEOUT}. */
        public Builder timeouts(Duration connect, Duration read) {
            return put(Options.CONNECT_TIMEOUT, connect).put(Options.READ_TIMEOUT, read);
        }

        /** {@value RawMetricsConfig#RETRY_MAX_INTERVAL}. */
        public Builder retryMaxInterval(Duration retryMaxInterval) {
            return put(Options.RETRY_MAX_INTERVAL, retryMaxInterval);
        }

        /** {@value RawMetricsConfig#TRUST_STORE} and {@value RawMetricsConfig#TRUST_STORE_PASSWORD}. */
        public Builder trustStore(Path trustStore, String password) {
            return put(Options.TRUST_STORE, trustStore).put(Options.TRUST_STORE_PASSWORD, password);
        }

        /** {@value RawMetricsConfig#API}. */
        public Builder api(WriteApi api) {
            return put(Options.WRITE_API, api);
        }

        /** {@value RawMetricsConfig#ORG} and {@value RawMetricsConfig#BUCKET}, for the v2 API. */
        public Builder orgAndBucket(String org, String bucket) {
            return put(Options.ORGANIZATION, org).put(Options.BUCKET_NAME, bucket);
        }

        /** {@value RawMetricsConfig#TOKEN}. */
        public Builder token(String token) {
            return put(Options.API_TOKEN, token);
        }

        /** {@value RawMetricsConfig#GZIP}. */
        public Builder gzip(boolean gzip) {
            return put(Options.GZIP, gzip);
        }

        /** {@value RawMetricsConfig#TRACE_IDS}. */
        public Builder traceIds(boolean traceIds) {
            return put(Options.TRACE_IDS, traceIds);
        }

        /** {@value RawMetricsConfig#SELF_METRICS}. */
        public Builder selfMetrics(boolean selfMetrics) {
            return put(Options.SELF_METRICS, selfMetrics);
        }

        /** {@value RawMetricsConfig#MODE}. */
        public Builder mode(Mode mode) {
            return put(Options.MODE, mode);
        }

        /** {@value RawMetricsConfig#AGGREGATION_INTERVAL}. */
        public Builder aggregationInterval(Duration aggregationInterval) {
            return put(Options.AGGREGATION, aggregationInterval);
        }

        /** {@value RawMetricsConfig#FUNCTION_MODES}: function name, or prefix ending in {@code *}, to mode. */
        public Builder functionModes(Map<String, Mode> functionModes) {
            for (Map.Entry<String, Mode> entry : functionModes.entrySet()) {
                Parsers.checkFunctionPattern(FUNCTION_MODES, entry.getKey());
                if (entry.getValue() == null) {
                    throw new InvalidConfigurationException(FUNCTION_MODES, "'" + entry.getKey() + "' has no mode");
                }
            }
            return put(Options.FUNCTION_MODES, Map.copyOf(functionModes));
        }

        /** {@value RawMetricsConfig#MAX_TAG_VALUES}. */
        public Builder maxTagValues(int maxTagValues) {
            return put(Options.MAX_TAG_VALUES, maxTagValues);
        }

        /** {@value RawMetricsConfig#MAX_TAG_VALUE_LENGTH}. */
        public Builder maxTagValueLength(int maxTagValueLength) {
            return put(Options.MAX_TAG_VALUE_LENGTH, maxTagValueLength);
        }

        /** {@value RawMetricsConfig#SHUTDOWN_TIMEOUT}. */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            return put(Options.SHUTDOWN_TIMEOUT, shutdownTimeout);
        }

        /**
         * Whether a JVM shutdown hook writes what is left when the JVM exits (for up to 5 seconds).
         * The default is {@code true}. An application with a graceful shutdown of its own turns it
         * off and calls {@link RawMetrics#stop} itself, after its last timed call: hooks run in no
         * particular order, so the library's hook could otherwise stop recording before the
         * application's last requests finish. Set in code only: there is no key for it.
         */
        public Builder shutdownHook(boolean shutdownHook) {
            this.shutdownHook = shutdownHook;
            return this;
        }

        /**
         * Sets an option from its text form, as read from a system property or the environment.
         *
         * @throws InvalidConfigurationException if the key is unknown or the text is not a valid value
         */
        public Builder set(String key, String text) {
            Option<?> option = Options.byKey(key);
            if (option == null) {
                throw unknownKey(key);
            }
            values[option.index()] = option.parse(text);
            return this;
        }

        /**
         * Sets every option of {@code texts}, key to text form, as {@link #set} does; when some
         * cannot be used, reports all of them at once, and the values of the others that are bad
         * on their own too.
         *
         * @throws InvalidConfigurationException naming every bad key ({@link InvalidConfigurationException#problems()})
         */
        public Builder setAll(Map<String, String> texts) {
            List<InvalidConfigurationException> problems = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            texts.forEach((key, text) -> {
                try {
                    set(key, text);
                } catch (InvalidConfigurationException e) {
                    problems.add(e);
                    unreadable.add(key);
                }
            });
            if (!problems.isEmpty()) {
                for (InvalidConfigurationException problem : Options.valueProblems(values)) {
                    if (!unreadable.contains(problem.key())) {
                        problems.add(problem);
                    }
                }
                throw InvalidConfigurationException.of(problems);
            }
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws InvalidConfigurationException naming every bad key and its value
         */
        public RawMetricsConfig build() {
            List<InvalidConfigurationException> problems = Options.problems(values);
            if (!problems.isEmpty()) {
                throw InvalidConfigurationException.of(problems);
            }
            return new RawMetricsConfig(this);
        }
    }
}

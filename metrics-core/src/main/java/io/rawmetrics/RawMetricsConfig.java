package io.rawmetrics;

import io.rawmetrics.internal.config.ConfigSources;
import io.rawmetrics.internal.lineprotocol.LineProtocol;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the library can be told, validated once. Immutable.
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

    /** Every key, in documentation order. */
    public static final List<String> KEYS = List.of(URL, API, DATABASE, USERNAME, PASSWORD, RETENTION_POLICY,
            ORG, BUCKET, TOKEN, GZIP, CREATE_DATABASE, TRUST_STORE, TRUST_STORE_PASSWORD, CONNECT_TIMEOUT, READ_TIMEOUT, MEASUREMENT, FLUSH_INTERVAL, BATCH_SIZE, MAX_BATCH_BYTES,
            BUFFER_CAPACITY, ENABLED, SHUTDOWN_TIMEOUT, SELF_METRICS, MODE, AGGREGATION_INTERVAL, FUNCTION_MODES);

    /** The shortest {@value #AGGREGATION_INTERVAL}. */
    static final Duration MIN_AGGREGATION_INTERVAL = Duration.ofMillis(10);

    /** About 12 MB of line protocol: InfluxDB 1.x's default {@code max-body-size} is 25 MB. */
    static final int MAX_BATCH_SIZE = 100_000;
    /** Bounds of {@link #MAX_BATCH_BYTES}: a batch holds at least one point whatever its size. */
    static final int MIN_MAX_BATCH_BYTES = 1024;
    static final int MAX_MAX_BATCH_BYTES = 1 << 30;



    private final URI url;
    private final String database;
    private final String username;
    private final String password;
    private final String retentionPolicy;
    private final boolean createDatabase;
    private final String measurement;
    private final Duration flushInterval;
    private final int batchSize;
    private final int maxBatchBytes;
    private final int bufferCapacity;
    private final boolean enabled;
    private final boolean shutdownHook;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration shutdownTimeout;
    private final Path trustStore;
    private final String trustStorePassword;
    private final WriteApi api;
    private final String org;
    private final String bucket;
    private final String token;
    private final boolean gzip;
    private final boolean selfMetrics;
    private final Mode mode;
    private final Duration aggregationInterval;
    private final Map<String, Mode> functionModes;

    private RawMetricsConfig(Builder b) {
        this.url = b.url;
        this.database = b.database;
        this.username = b.username;
        this.password = b.password;
        this.retentionPolicy = b.retentionPolicy;
        this.createDatabase = b.createDatabase;
        this.measurement = b.measurement;
        this.flushInterval = b.flushInterval;
        this.batchSize = b.batchSize;
        this.maxBatchBytes = b.maxBatchBytes;
        this.bufferCapacity = b.bufferCapacity;
        this.enabled = b.enabled;
        this.shutdownHook = b.shutdownHook;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.trustStore = b.trustStore;
        this.trustStorePassword = b.trustStorePassword;
        this.api = b.api;
        this.org = b.org;
        this.bucket = b.bucket;
        this.token = b.token;
        this.gzip = b.gzip;
        this.selfMetrics = b.selfMetrics;
        this.mode = b.mode;
        this.aggregationInterval = b.aggregationInterval;
        this.functionModes = java.util.Collections.unmodifiableMap(new TreeMap<>(b.functionModes));
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
     * @throws InvalidConfigurationException naming the first bad key
     */
    public static RawMetricsConfig fromEnvironment() {
        return fromEnvironment(defaults());
    }

    /**
     * The configuration from system properties and environment variables, falling back to
     * {@code defaults} (rather than the library's defaults) for what they don't set. An
     * application with defaults of its own, like the demo's database {@code wsgi}, uses this.
     *
     * @throws InvalidConfigurationException naming the first bad key
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

    /** {@value #URL}: InfluxDB's HTTP API. */
    public URI url() {
        return url;
    }

    /** {@value #DATABASE}: the database written to. */
    public String database() {
        return database;
    }

    /** The user, or {@code null} when no authentication is used. */
    public String username() {
        return username;
    }

    /** The password, or {@code null}. */
    public String password() {
        return password;
    }

    /** The retention policy, or {@code null} for the database's default. */
    public String retentionPolicy() {
        return retentionPolicy;
    }

    /** {@value #CREATE_DATABASE}: whether {@code CREATE DATABASE} runs when recording starts. */
    public boolean createDatabase() {
        return createDatabase;
    }

    /** {@value #MEASUREMENT}: the measurement of points whose annotation names none. */
    public String measurement() {
        return measurement;
    }

    /** {@value #FLUSH_INTERVAL}: how often buffered points are written. */
    public Duration flushInterval() {
        return flushInterval;
    }

    /** {@value #BATCH_SIZE}: most points per write request. */
    public int batchSize() {
        return batchSize;
    }

    /** {@value #MAX_BATCH_BYTES}: most bytes of line protocol per write request (a single larger point is sent alone). */
    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    /** {@value #BUFFER_CAPACITY}: most points held waiting to be written. */
    public int bufferCapacity() {
        return bufferCapacity;
    }

    /** {@value #ENABLED}: whether timed calls are recorded at all. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether the library's own counters are written too. */
    public boolean selfMetrics() {
        return selfMetrics;
    }

    /** The trust store for HTTPS, or {@code null} for the JVM's default. */
    public Path trustStore() {
        return trustStore;
    }

    /** The trust store's password, or {@code null}. */
    public String trustStorePassword() {
        return trustStorePassword;
    }

    /** {@value #API}: which write API is used. */
    public WriteApi api() {
        return api;
    }

    /** {@value #ORG}: the organization for the v2 API, or {@code null}. */
    public String org() {
        return org;
    }

    /** {@value #BUCKET}: the bucket for the v2 API, or {@code null}. */
    public String bucket() {
        return bucket;
    }

    /** {@value #TOKEN}: the API token, or {@code null}. */
    public String token() {
        return token;
    }

    /** {@value #GZIP}: whether write requests are compressed. */
    public boolean gzip() {
        return gzip;
    }

    /** {@value #MODE}. */
    public Mode mode() {
        return mode;
    }

    /** {@value #AGGREGATION_INTERVAL}. */
    public Duration aggregationInterval() {
        return aggregationInterval;
    }

    /** {@value #FUNCTION_MODES}: function name, or prefix ending in {@code *}, to its mode; sorted. */
    public Map<String, Mode> functionModes() {
        return functionModes;
    }

    /**
     * The mode of {@code function}: the longest entry of {@link #functionModes()} that names it or
     * a prefix of it, else {@link #mode()}.
     */
    public Mode modeOf(String function) {
        Mode found = functionModes.get(function);
        if (found != null) {
            return found;
        }
        int longest = -1;
        found = mode;
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
        return mode != Mode.RAW || functionModes.values().stream().anyMatch(m -> m != Mode.RAW);
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
        return connectTimeout;
    }

    /** {@value #READ_TIMEOUT}: how long to wait for InfluxDB to answer a write. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** How long the shutdown hook writes what is left. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** Whether a JVM shutdown hook writes what is left; see {@link Builder#shutdownHook(boolean)}. */
    public boolean shutdownHook() {
        return shutdownHook;
    }

    /** All options; the password is shown as {@code ****}. */
    @Override
    public String toString() {
        return "RawMetricsConfig{url=" + url + ", database=" + database + ", username=" + username
                + ", password=" + (password == null ? "null" : "****") + ", retentionPolicy=" + retentionPolicy
                + ", createDatabase=" + createDatabase + ", measurement=" + measurement
                + ", flushInterval=" + flushInterval + ", batchSize=" + batchSize + ", maxBatchBytes=" + maxBatchBytes
                + ", bufferCapacity=" + bufferCapacity + ", enabled=" + enabled + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", shutdownTimeout=" + shutdownTimeout + ", trustStore=" + trustStore
                + ", trustStorePassword=" + (trustStorePassword == null ? "null" : "****") + ", api=" + api
                + ", org=" + org + ", bucket=" + bucket + ", token=" + (token == null ? "null" : "****") + ", gzip=" + gzip
                + ", selfMetrics=" + selfMetrics + ", mode=" + mode + ", aggregationInterval=" + aggregationInterval
                + ", functionModes=" + functionModes
                + ", shutdownHook=" + shutdownHook + "}";
    }

    /** Builds a {@link RawMetricsConfig}; {@link #build()} validates. */
    public static final class Builder {
        private URI url = URI.create("http://localhost:8086");
        private String database = "rawmetrics";
        private String username;
        private String password;
        private String retentionPolicy;
        private boolean createDatabase = true;
        private String measurement = "raw-requests";
        private Duration flushInterval = Duration.ofSeconds(1);
        private int batchSize = 5000;
        private int maxBatchBytes = 10_000_000;
        private int bufferCapacity = 100_000;
        private boolean enabled = true;
        private boolean shutdownHook = true;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration shutdownTimeout = Duration.ofSeconds(5);
        private Path trustStore;
        private String trustStorePassword;
        private WriteApi api = WriteApi.V1;
        private String org;
        private String bucket;
        private String token;
        private boolean gzip;
        private boolean selfMetrics;
        private Mode mode = Mode.RAW;
        private Duration aggregationInterval = Duration.ofSeconds(1);
        private Map<String, Mode> functionModes = Map.of();

        private Builder() {
        }

        private Builder(RawMetricsConfig c) {
            url = c.url;
            database = c.database;
            username = c.username;
            password = c.password;
            retentionPolicy = c.retentionPolicy;
            createDatabase = c.createDatabase;
            measurement = c.measurement;
            flushInterval = c.flushInterval;
            batchSize = c.batchSize;
            maxBatchBytes = c.maxBatchBytes;
            bufferCapacity = c.bufferCapacity;
            enabled = c.enabled;
            shutdownHook = c.shutdownHook;
            connectTimeout = c.connectTimeout;
            readTimeout = c.readTimeout;
            shutdownTimeout = c.shutdownTimeout;
            trustStore = c.trustStore;
            trustStorePassword = c.trustStorePassword;
            api = c.api;
            org = c.org;
            bucket = c.bucket;
            token = c.token;
            gzip = c.gzip;
            selfMetrics = c.selfMetrics;
            mode = c.mode;
            aggregationInterval = c.aggregationInterval;
            functionModes = c.functionModes;
        }

        /** {@value RawMetricsConfig#URL}: an {@code http} or {@code https} URL. */
        public Builder url(String url) {
            return set(URL, url);
        }

        /** {@value RawMetricsConfig#DATABASE}. */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /** {@value RawMetricsConfig#USERNAME} and {@value RawMetricsConfig#PASSWORD}. */
        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** {@value RawMetricsConfig#RETENTION_POLICY}; {@code null} for the database's default. */
        public Builder retentionPolicy(String retentionPolicy) {
            this.retentionPolicy = retentionPolicy;
            return this;
        }

        /** {@value RawMetricsConfig#CREATE_DATABASE}. */
        public Builder createDatabase(boolean createDatabase) {
            this.createDatabase = createDatabase;
            return this;
        }

        /** {@value RawMetricsConfig#MEASUREMENT}. */
        public Builder measurement(String measurement) {
            this.measurement = measurement;
            return this;
        }

        /** {@value RawMetricsConfig#FLUSH_INTERVAL}. */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
            return this;
        }

        /** {@value RawMetricsConfig#BATCH_SIZE}. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** {@value RawMetricsConfig#MAX_BATCH_BYTES}. */
        public Builder maxBatchBytes(int maxBatchBytes) {
            this.maxBatchBytes = maxBatchBytes;
            return this;
        }

        /** {@value RawMetricsConfig#BUFFER_CAPACITY}. */
        public Builder bufferCapacity(int bufferCapacity) {
            this.bufferCapacity = bufferCapacity;
            return this;
        }

        /** {@value RawMetricsConfig#ENABLED}. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** {@value RawMetricsConfig#CONNECT_TIMEOUT} and {@value RawMetricsConfig#READ_TIMEOUT}. */
        public Builder timeouts(Duration connect, Duration read) {
            this.connectTimeout = connect;
            this.readTimeout = read;
            return this;
        }

        /** {@value RawMetricsConfig#TRUST_STORE} and {@value RawMetricsConfig#TRUST_STORE_PASSWORD}. */
        public Builder trustStore(Path trustStore, String password) {
            this.trustStore = trustStore;
            this.trustStorePassword = password;
            return this;
        }

        /** {@value RawMetricsConfig#API}. */
        public Builder api(WriteApi api) {
            this.api = api;
            return this;
        }

        /** {@value RawMetricsConfig#ORG} and {@value RawMetricsConfig#BUCKET}, for the v2 API. */
        public Builder orgAndBucket(String org, String bucket) {
            this.org = org;
            this.bucket = bucket;
            return this;
        }

        /** {@value RawMetricsConfig#TOKEN}. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** {@value RawMetricsConfig#GZIP}. */
        public Builder gzip(boolean gzip) {
            this.gzip = gzip;
            return this;
        }

        /** {@value RawMetricsConfig#SELF_METRICS}. */
        public Builder selfMetrics(boolean selfMetrics) {
            this.selfMetrics = selfMetrics;
            return this;
        }

        /** {@value RawMetricsConfig#MODE}. */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** {@value RawMetricsConfig#AGGREGATION_INTERVAL}. */
        public Builder aggregationInterval(Duration aggregationInterval) {
            this.aggregationInterval = aggregationInterval;
            return this;
        }

        /** {@value RawMetricsConfig#FUNCTION_MODES}: function name, or prefix ending in {@code *}, to mode. */
        public Builder functionModes(Map<String, Mode> functionModes) {
            for (Map.Entry<String, Mode> entry : functionModes.entrySet()) {
                checkFunctionPattern(entry.getKey());
                if (entry.getValue() == null) {
                    throw new InvalidConfigurationException(FUNCTION_MODES, "'" + entry.getKey() + "' has no mode");
                }
            }
            this.functionModes = Map.copyOf(functionModes);
            return this;
        }

        /** {@value RawMetricsConfig#SHUTDOWN_TIMEOUT}. */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
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
            String value = text.strip();
            switch (key) {
                case URL -> url = parseUrl(value);
                case DATABASE -> database = value;
                case USERNAME -> username = value.isEmpty() ? null : value;
                case PASSWORD -> password = text; // verbatim: a password may end in a space
                case RETENTION_POLICY -> retentionPolicy = value.isEmpty() ? null : value;
                case CREATE_DATABASE -> createDatabase = parseBoolean(key, value);
                case MEASUREMENT -> measurement = value;
                case FLUSH_INTERVAL -> flushInterval = parseDuration(key, value);
                case BATCH_SIZE -> batchSize = parseInt(key, value);
                case MAX_BATCH_BYTES -> maxBatchBytes = parseInt(key, value);
                case BUFFER_CAPACITY -> bufferCapacity = parseInt(key, value);
                case ENABLED -> enabled = parseBoolean(key, value);
                case CONNECT_TIMEOUT -> connectTimeout = parseDuration(key, value);
                case READ_TIMEOUT -> readTimeout = parseDuration(key, value);
                case SHUTDOWN_TIMEOUT -> shutdownTimeout = parseDuration(key, value);
                case SELF_METRICS -> selfMetrics = parseBoolean(key, value);
                case TRUST_STORE -> trustStore = value.isEmpty() ? null : Path.of(value);
                case TRUST_STORE_PASSWORD -> trustStorePassword = text; // verbatim, like the password
                case API -> api = parseApi(value);
                case ORG -> org = value.isEmpty() ? null : value;
                case BUCKET -> bucket = value.isEmpty() ? null : value;
                case TOKEN -> token = value.isEmpty() ? null : text; // verbatim, like the password
                case GZIP -> gzip = parseBoolean(key, value);
                case MODE -> mode = parseMode(MODE, value, value);
                case AGGREGATION_INTERVAL -> aggregationInterval = parseDuration(key, value);
                case FUNCTION_MODES -> functionModes(parseFunctionModes(value));
                default -> throw unknownKey(key);
            }
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws InvalidConfigurationException naming the first bad key and its value
         */
        public RawMetricsConfig build() {
            if (url == null) {
                throw new InvalidConfigurationException(URL, "must be set");
            }
            requireText(DATABASE, database);
            if (username == null && password != null) {
                throw new InvalidConfigurationException(PASSWORD, "is set but " + USERNAME + " is not");
            }
            if (token != null && username != null) {
                throw new InvalidConfigurationException(TOKEN, "is set, and so is " + USERNAME
                        + ": authenticate with one of them");
            }
            if (api == null) {
                throw new InvalidConfigurationException(API, "must be set");
            }
            if (api == WriteApi.V2) {
                if (bucket == null || bucket.isBlank()) {
                    throw new InvalidConfigurationException(BUCKET, "must be set when " + API + " is v2");
                }
                if (username != null) {
                    throw new InvalidConfigurationException(USERNAME, "is for the v1 API; with " + API
                            + "=v2, authenticate with " + TOKEN);
                }
            } else if (org != null || bucket != null) {
                throw new InvalidConfigurationException(org != null ? ORG : BUCKET, "is used by the v2 API only; set "
                        + API + "=v2, or name the database with " + DATABASE);
            }
            if (retentionPolicy != null) {
                requireText(RETENTION_POLICY, retentionPolicy);
            }
            try {
                LineProtocol.checkMeasurement("measurement", measurement);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(MEASUREMENT, e.getMessage());
            }
            if (flushInterval == null || flushInterval.compareTo(Duration.ofMillis(1)) < 0) {
                throw new InvalidConfigurationException(FLUSH_INTERVAL,
                        "'" + flushInterval + "' must be at least 1ms");
            }
            if (mode == null) {
                throw new InvalidConfigurationException(MODE, "must be set");
            }
            if (aggregationInterval == null || aggregationInterval.compareTo(MIN_AGGREGATION_INTERVAL) < 0) {
                throw new InvalidConfigurationException(AGGREGATION_INTERVAL, "'" + aggregationInterval
                        + "' must be at least 10ms");
            }
            if (aggregationInterval.toNanos() % 1_000_000 != 0) {
                throw new InvalidConfigurationException(AGGREGATION_INTERVAL, "'" + aggregationInterval
                        + "' must be a whole number of milliseconds");
            }
            if (trustStore != null && !Files.isReadable(trustStore)) {
                throw new InvalidConfigurationException(TRUST_STORE, "'" + trustStore + "' is not a readable file");
            }
            requirePositive(CONNECT_TIMEOUT, connectTimeout);
            requirePositive(READ_TIMEOUT, readTimeout);
            if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
                throw new InvalidConfigurationException(SHUTDOWN_TIMEOUT, "'" + shutdownTimeout + "' must not be negative");
            }
            if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
                throw new InvalidConfigurationException(BATCH_SIZE, "'" + batchSize + "' must be from 1 to "
                        + MAX_BATCH_SIZE + " (InfluxDB 1.x refuses request bodies over 25 MB by default)");
            }
            if (maxBatchBytes < MIN_MAX_BATCH_BYTES || maxBatchBytes > MAX_MAX_BATCH_BYTES) {
                throw new InvalidConfigurationException(MAX_BATCH_BYTES, "'" + maxBatchBytes + "' must be from "
                        + MIN_MAX_BATCH_BYTES + " to " + MAX_MAX_BATCH_BYTES
                        + " (keep it under the server's request body limit: InfluxDB 1.x's max-body-size, 25 MB by default)");
            }
            if (bufferCapacity < 1) {
                throw new InvalidConfigurationException(BUFFER_CAPACITY,
                        "'" + bufferCapacity + "' must be at least 1");
            }
            if (batchSize > bufferCapacity) {
                throw new InvalidConfigurationException(BATCH_SIZE, "'" + batchSize + "' must not exceed "
                        + BUFFER_CAPACITY + " ('" + bufferCapacity + "'): a batch could never fill");
            }
            return new RawMetricsConfig(this);
        }

        private static void requirePositive(String key, Duration value) {
            if (value == null || value.compareTo(Duration.ofMillis(1)) < 0) {
                throw new InvalidConfigurationException(key, "'" + value + "' must be at least 1ms");
            }
        }

        private static void requireText(String key, String value) {
            if (value == null || value.isBlank()) {
                throw new InvalidConfigurationException(key, "must not be empty");
            }
        }

        private static URI parseUrl(String value) {
            URI uri;
            try {
                uri = new URI(value);
            } catch (URISyntaxException e) {
                throw new InvalidConfigurationException(URL, "'" + value + "' is not a URL: " + e.getReason());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new InvalidConfigurationException(URL, "'" + value
                        + "' must be an http or https URL with a host, like http://localhost:8086");
            }
            if (uri.getUserInfo() != null) {
                throw new InvalidConfigurationException(URL, "must not carry credentials; use "
                        + USERNAME + " and " + PASSWORD);
            }
            return uri;
        }

        private static Mode parseMode(String key, String value, String context) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "raw" -> Mode.RAW;
                case "aggregated" -> Mode.AGGREGATED;
                case "both" -> Mode.BOTH;
                default -> throw new InvalidConfigurationException(key, "'" + context
                        + "': the mode must be raw, aggregated or both");
            };
        }

        /** {@code a.B.c=aggregated, a.b.*=both}. */
        private static Map<String, Mode> parseFunctionModes(String value) {
            Map<String, Mode> modes = new TreeMap<>();
            if (value.isEmpty()) {
                return modes;
            }
            for (String pair : value.split(",")) {
                String entry = pair.strip();
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new InvalidConfigurationException(FUNCTION_MODES, "'" + entry
                            + "' must be written function=mode, like com.example.Cache.get=aggregated");
                }
                String function = entry.substring(0, eq).strip();
                checkFunctionPattern(function);
                Mode mode = parseMode(FUNCTION_MODES, entry.substring(eq + 1).strip(), entry);
                if (modes.put(function, mode) != null) {
                    throw new InvalidConfigurationException(FUNCTION_MODES, "'" + function + "' is given twice");
                }
            }
            return modes;
        }

        private static void checkFunctionPattern(String function) {
            if (function == null || function.isBlank() || function.indexOf('*') >= 0 && function.indexOf('*') != function.length() - 1
                    || function.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidConfigurationException(FUNCTION_MODES, "'" + function
                        + "' must be a function (com.example.Shop.checkout) or a prefix ending in * (com.example.*)");
            }
        }

        private static WriteApi parseApi(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "v1" -> WriteApi.V1;
                case "v2" -> WriteApi.V2;
                default -> throw new InvalidConfigurationException(API, "'" + value + "' must be v1 or v2");
            };
        }

        private static boolean parseBoolean(String key, String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new InvalidConfigurationException(key, "'" + value + "' must be true or false");
            };
        }

        private static int parseInt(String key, String value) {
            try {
                return Integer.parseInt(value.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException(key, "'" + value + "' is not a whole number");
            }
        }

        private static final Pattern DURATION = Pattern.compile("(\\d+)(ns|us|ms|s|m|h)");

        /** {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h} (also ns, us), or ISO-8601 such as {@code PT1.5S}. */
        static Duration parseDuration(String key, String value) {
            Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
            if (m.matches()) {
                try {
                    long amount = Long.parseLong(m.group(1));
                    return switch (m.group(2)) {
                        case "ns" -> Duration.ofNanos(amount);
                        case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        default -> Duration.ofHours(amount);
                    };
                } catch (ArithmeticException | NumberFormatException tooLarge) {
                    throw new InvalidConfigurationException(key, "'" + value + "' is too long a duration");
                }
            }
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new InvalidConfigurationException(key, "'" + value
                        + "' is not a duration; write it like 500ms, 1s, 2m or PT1.5S");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RawMetricsConfig c)) {
            return false;
        }
        return url.equals(c.url) && database.equals(c.database) && Objects.equals(username, c.username)
                && Objects.equals(password, c.password) && Objects.equals(retentionPolicy, c.retentionPolicy)
                && createDatabase == c.createDatabase && measurement.equals(c.measurement)
                && flushInterval.equals(c.flushInterval) && batchSize == c.batchSize && maxBatchBytes == c.maxBatchBytes
                && bufferCapacity == c.bufferCapacity && enabled == c.enabled && shutdownHook == c.shutdownHook
                && connectTimeout.equals(c.connectTimeout) && readTimeout.equals(c.readTimeout)
                && shutdownTimeout.equals(c.shutdownTimeout) && Objects.equals(trustStore, c.trustStore)
                && Objects.equals(trustStorePassword, c.trustStorePassword) && selfMetrics == c.selfMetrics
                && api == c.api && Objects.equals(org, c.org) && Objects.equals(bucket, c.bucket)
                && Objects.equals(token, c.token) && gzip == c.gzip && mode == c.mode
                && aggregationInterval.equals(c.aggregationInterval) && functionModes.equals(c.functionModes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, database, username, retentionPolicy, measurement, flushInterval, batchSize,
                bufferCapacity, enabled);
    }
}

package io.rawmetrics.internal.config;

import static io.rawmetrics.RawMetricsConfig.AGGREGATION_INTERVAL;
import static io.rawmetrics.RawMetricsConfig.API;
import static io.rawmetrics.RawMetricsConfig.BATCH_SIZE;
import static io.rawmetrics.RawMetricsConfig.BUCKET;
import static io.rawmetrics.RawMetricsConfig.BUFFER_CAPACITY;
import static io.rawmetrics.RawMetricsConfig.DATABASE;
import static io.rawmetrics.RawMetricsConfig.ORG;
import static io.rawmetrics.RawMetricsConfig.PASSWORD;
import static io.rawmetrics.RawMetricsConfig.TOKEN;
import static io.rawmetrics.RawMetricsConfig.USERNAME;

import io.rawmetrics.InvalidConfigurationException;
import io.rawmetrics.RawMetricsConfig.Mode;
import io.rawmetrics.RawMetricsConfig.WriteApi;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.PointNames;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The table of configuration keys: one row per key, in documentation order. Adding a key is a
 * row here, its constant, getter and builder method in {@code RawMetricsConfig}, and its row in
 * docs/configuration.md (a test compares the two tables).
 */
public final class Options {

    /** The shortest aggregation interval. */
    public static final Duration MIN_AGGREGATION_INTERVAL = Duration.ofMillis(10);
    /** About 12 MB of line protocol: InfluxDB 1.x's default {@code max-body-size} is 25 MB. */
    public static final int MAX_BATCH_SIZE = 100_000;
    /** Bounds of the bytes per write request: a batch holds at least one point whatever its size. */
    public static final int MIN_MAX_BATCH_BYTES = 1024;
    public static final int MAX_MAX_BATCH_BYTES = 1 << 30;
    /**
     * Bounds of the distinct values of one tag of one function, and of a tag value's length: InfluxDB
     * 1.x refuses a series key (measurement and tags) over 64 KiB.
     */
    public static final int MAX_MAX_TAG_VALUES = 100_000;
    public static final int MAX_MAX_TAG_VALUE_LENGTH = 4096;

    private static final List<Option<?>> TABLE = new ArrayList<>();

    public static final Option<URI> URL = add(RawMetricsConfig.URL, URI.class, "http://localhost:8086", Parsers::url,
            Options::anything, false, "InfluxDB's HTTP API: an http or https URL with a host, without credentials.");
    public static final Option<WriteApi> WRITE_API = add(API, WriteApi.class, "v1", Parsers::api, Options::anything, false,
            "The write API: v1 (/write?db=, InfluxDB 1.x) or v2 (/api/v2/write?org=&bucket=, InfluxDB 2.x, 3.x, Cloud).");
    public static final Option<String> DATABASE_NAME = add(DATABASE, String.class, "rawmetrics", Parsers::text,
            Options::someText, false, "The database written to (v1 API).");
    public static final Option<String> ORGANIZATION = add(ORG, String.class, null, Parsers::optionalText,
            Options::anything, false, "v2 API only: the organization.");
    public static final Option<String> BUCKET_NAME = add(BUCKET, String.class, null, Parsers::optionalText,
            Options::anything, false, "v2 API only, and required there: the bucket written to.");
    public static final Option<String> API_TOKEN = add(TOKEN, String.class, null, Parsers::secret, Options::anything,
            true, "An API token, sent as 'Authorization: Token ...' with either API; never logged.");
    public static final Option<Boolean> GZIP = add(RawMetricsConfig.GZIP, Boolean.class, "false", Parsers::bool,
            Options::anything, false, "Whether write requests are gzip-compressed.");
    public static final Option<String> USER = add(USERNAME, String.class, null, Parsers::optionalText,
            Options::anything, false, "User for HTTP basic authentication; empty means none.");
    public static final Option<String> USER_PASSWORD = add(PASSWORD, String.class, null, Parsers::verbatim,
            Options::anything, true, "The user's password; never logged.");
    public static final Option<String> RETENTION_POLICY = add(RawMetricsConfig.RETENTION_POLICY, String.class, null,
            Parsers::optionalText, value -> value == null ? null : someText(value), false,
            "Retention policy written to; none means the database's default.");
    public static final Option<Boolean> CREATE_DATABASE = add(RawMetricsConfig.CREATE_DATABASE, Boolean.class, "true",
            Parsers::bool, Options::anything, false, "Whether CREATE DATABASE runs before the first write.");
    public static final Option<Path> TRUST_STORE = add(RawMetricsConfig.TRUST_STORE, Path.class, null,
            Parsers::optionalPath, value -> value == null || Files.isReadable(value) ? null
                    : "'" + value + "' is not a readable file", false,
            "For an https URL: a trust store (PKCS12 or JKS) with the certificates to trust; none means the JVM's.");
    public static final Option<String> TRUST_STORE_PASSWORD = add(RawMetricsConfig.TRUST_STORE_PASSWORD, String.class,
            null, Parsers::verbatim, Options::anything, true, "The trust store's password; never logged.");
    public static final Option<Duration> CONNECT_TIMEOUT = add(RawMetricsConfig.CONNECT_TIMEOUT, Duration.class, "10s",
            Parsers::duration, Options::atLeastOneMilli, false, "How long to wait for a connection to InfluxDB.");
    public static final Option<Duration> READ_TIMEOUT = add(RawMetricsConfig.READ_TIMEOUT, Duration.class, "30s",
            Parsers::duration, Options::atLeastOneMilli, false,
            "How long to wait for InfluxDB to answer a write; then the write is retried.");
    public static final Option<Duration> RETRY_MAX_INTERVAL = add(RawMetricsConfig.RETRY_MAX_INTERVAL, Duration.class,
            "5s", Parsers::duration, value -> value.compareTo(Duration.ofMillis(100)) >= 0 ? null
                    : "'" + value + "' must be at least 100ms, the first retry's wait", false,
            "The longest wait between two attempts to write while InfluxDB is unavailable.");
    public static final Option<String> MEASUREMENT = add(RawMetricsConfig.MEASUREMENT, String.class, "raw-requests",
            Parsers::text, Options::measurement, false, "Measurement of points whose @FunctionCall names none.");
    public static final Option<Duration> FLUSH_INTERVAL = add(RawMetricsConfig.FLUSH_INTERVAL, Duration.class, "1s",
            Parsers::duration, Options::atLeastOneMilli, false, "How often buffered points are written.");
    public static final Option<Integer> BATCH = add(BATCH_SIZE, Integer.class, "5000", Parsers::integer,
            value -> value >= 1 && value <= MAX_BATCH_SIZE ? null : "'" + value + "' must be from 1 to " + MAX_BATCH_SIZE
                    + " (InfluxDB 1.x refuses request bodies over 25 MB by default)", false,
            "Most points per write request; a full batch is written without waiting for the interval.");
    public static final Option<Integer> MAX_BATCH_BYTES = add(RawMetricsConfig.MAX_BATCH_BYTES, Integer.class, "10000000",
            Parsers::integer, value -> value >= MIN_MAX_BATCH_BYTES && value <= MAX_MAX_BATCH_BYTES ? null
                    : "'" + value + "' must be from " + MIN_MAX_BATCH_BYTES + " to " + MAX_MAX_BATCH_BYTES
                            + " (keep it under the server's request body limit: InfluxDB 1.x's max-body-size, 25 MB by default)",
            false, "Most bytes of line protocol per write request; a single larger point is sent on its own.");
    public static final Option<Integer> CAPACITY = add(BUFFER_CAPACITY, Integer.class, "100000", Parsers::integer,
            value -> value >= 1 ? null : "'" + value + "' must be at least 1", false,
            "Most points held in memory waiting to be written; beyond it new calls are dropped and counted.");
    public static final Option<Path> SPOOL_DIRECTORY = add(RawMetricsConfig.SPOOL_DIRECTORY, Path.class, null,
            Parsers::optionalPath, Options::anything, false,
            "A directory where batches are put aside during a long outage and delivered from later; none means memory only.");
    public static final Option<Long> SPOOL_MAX_BYTES = add(RawMetricsConfig.SPOOL_MAX_BYTES, Long.class, "1GiB",
            Parsers::bytes, value -> value >= 1 << 20 ? null : "'" + value + "' must be at least 1MiB", false,
            "The most bytes the spool's files hold; at the cap the newest calls wait in memory.");
    public static final Option<Boolean> ENABLED = add(RawMetricsConfig.ENABLED, Boolean.class, "true", Parsers::bool,
            Options::anything, false, "Whether timed calls are recorded at all.");
    public static final Option<Boolean> SELF_METRICS = add(RawMetricsConfig.SELF_METRICS, Boolean.class, "false",
            Parsers::bool, Options::anything, false, "Whether the library also writes its own counters (measurement rawmetrics).");
    public static final Option<Duration> SHUTDOWN_TIMEOUT = add(RawMetricsConfig.SHUTDOWN_TIMEOUT, Duration.class, "5s",
            Parsers::duration, value -> !value.isNegative() ? null : "'" + value + "' must not be negative", false,
            "How long a stop spends writing what is left: at JVM exit, or when a Spring application context closes.");
    public static final Option<Mode> MODE = add(RawMetricsConfig.MODE, Mode.class, "raw", Parsers::mode,
            Options::anything, false, "What a timed call becomes: raw (a point per call), aggregated, or both.");
    public static final Option<Duration> AGGREGATION = add(AGGREGATION_INTERVAL, Duration.class, "1s",
            Parsers::duration, Options::aggregationInterval, false,
            "How often aggregated points are written, aligned to multiples of it since the epoch.");
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final Option<Map<String, Mode>> FUNCTION_MODES = add(RawMetricsConfig.FUNCTION_MODES,
            (Class<Map<String, Mode>>) (Class) Map.class, "", Parsers::functionModes, Options::anything, false,
            "Modes for some functions, overriding rawmetrics.mode: function=mode pairs, a function or a prefix ending in *.");
    public static final Option<Integer> MAX_TAG_VALUES = add(RawMetricsConfig.MAX_TAG_VALUES, Integer.class, "100",
            Parsers::integer, value -> value >= 1 && value <= MAX_MAX_TAG_VALUES ? null
                    : "'" + value + "' must be from 1 to " + MAX_MAX_TAG_VALUES
                            + " (every value of a tag is a series of its own in InfluxDB)",
            false, "The most distinct values a @Tag or @ResultTag of one function takes; further values are written as 'other' and counted.");
    public static final Option<Integer> MAX_TAG_VALUE_LENGTH = add(RawMetricsConfig.MAX_TAG_VALUE_LENGTH, Integer.class,
            "256", Parsers::integer, value -> value >= 1 && value <= MAX_MAX_TAG_VALUE_LENGTH ? null
                    : "'" + value + "' must be from 1 to " + MAX_MAX_TAG_VALUE_LENGTH
                            + " (InfluxDB 1.x refuses series keys over 64 KiB)",
            false, "The most characters of a @Tag's value; a longer value is cut to it and counted.");

    public static final Option<Boolean> TRACE_IDS = add(RawMetricsConfig.TRACE_IDS, Boolean.class, "true",
            Parsers::bool, Options::anything, false,
            "Whether a call inside an OpenTelemetry span carries its trace_id and span_id (with opentelemetry-api on the class path).");

    /** Every key, in documentation order. */
    public static final List<Option<?>> ALL = List.copyOf(TABLE);
    /** Every key's name, in documentation order. */
    public static final List<String> KEYS = ALL.stream().map(Option::key).toList();

    private Options() {
    }

    private static <T> Option<T> add(String key, Class<T> type, String defaultText, Option.Parser<T> parser,
            Function<T, String> check, boolean secret, String description) {
        Option<T> option = new Option<>(TABLE.size(), key, type, defaultText, parser, check, secret, description);
        TABLE.add(option);
        return option;
    }

    /** The option named {@code key}, or {@code null}. */
    public static Option<?> byKey(String key) {
        for (Option<?> option : ALL) {
            if (option.key().equals(key)) {
                return option;
            }
        }
        return null;
    }

    /** A table of values holding every default. */
    public static Object[] defaults() {
        Object[] values = new Object[ALL.size()];
        for (Option<?> option : ALL) {
            values[option.index()] = option.defaultValue();
        }
        return values;
    }

    /**
     * Everything wrong with {@code values}, every key's value on its own first, in table order, then
     * the keys that contradict each other (checked only once each value is right on its own, so
     * that a mistyped value does not also show up as a contradiction).
     */
    public static List<InvalidConfigurationException> problems(Object[] values) {
        List<InvalidConfigurationException> problems = valueProblems(values);
        if (problems.isEmpty()) {
            contradictions(values, problems);
        }
        return problems;
    }

    /** What is wrong with each key's value on its own, in table order. */
    public static List<InvalidConfigurationException> valueProblems(Object[] values) {
        List<InvalidConfigurationException> problems = new ArrayList<>();
        for (Option<?> option : ALL) {
            Object value = values[option.index()];
            String problem = value == null && option.defaultText() != null ? "must be set" : option.problem(value);
            if (problem != null) {
                problems.add(new InvalidConfigurationException(option.key(), problem));
            }
        }
        return problems;
    }

    private static void contradictions(Object[] values, List<InvalidConfigurationException> problems) {
        String username = USER.in(values);
        String org = ORGANIZATION.in(values);
        String bucket = BUCKET_NAME.in(values);
        if (username == null && USER_PASSWORD.in(values) != null) {
            problems.add(new InvalidConfigurationException(PASSWORD, "is set but " + USERNAME + " is not"));
        }
        if (API_TOKEN.in(values) != null && username != null) {
            problems.add(new InvalidConfigurationException(TOKEN, "is set, and so is " + USERNAME
                    + ": authenticate with one of them"));
        }
        if (WRITE_API.in(values) == WriteApi.V2) {
            if (bucket == null || bucket.isBlank()) {
                problems.add(new InvalidConfigurationException(BUCKET, "must be set when " + API + " is v2"));
            }
            if (username != null) {
                problems.add(new InvalidConfigurationException(USERNAME, "is for the v1 API; with " + API
                        + "=v2, authenticate with " + TOKEN));
            }
        } else if (org != null || bucket != null) {
            problems.add(new InvalidConfigurationException(org != null ? ORG : BUCKET, "is used by the v2 API only; set "
                    + API + "=v2, or name the database with " + DATABASE));
        }
        int batchSize = BATCH.in(values);
        int capacity = CAPACITY.in(values);
        if (batchSize > capacity) {
            problems.add(new InvalidConfigurationException(BATCH_SIZE, "'" + batchSize + "' must not exceed "
                    + BUFFER_CAPACITY + " ('" + capacity + "'): a batch could never fill"));
        }
    }

    private static String anything(Object value) {
        return null;
    }

    private static String someText(String value) {
        return value == null || value.isBlank() ? "must not be empty" : null;
    }

    private static String atLeastOneMilli(Duration value) {
        return value.compareTo(Duration.ofMillis(1)) >= 0 ? null : "'" + value + "' must be at least 1ms";
    }

    private static String measurement(String value) {
        try {
            PointNames.checkMeasurement("measurement", value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String aggregationInterval(Duration value) {
        if (value.compareTo(MIN_AGGREGATION_INTERVAL) < 0) {
            return "'" + value + "' must be at least 10ms";
        }
        return value.toNanos() % 1_000_000 == 0 ? null : "'" + value + "' must be a whole number of milliseconds";
    }
}

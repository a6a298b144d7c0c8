package io.rawmetrics.internal;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What is known about a timed function before it is ever called: the measurement its points go
 * to, its {@code function} tag and its constant tags. Built once per call site, never per call.
 *
 * @param measurement the measurement, or {@code null} for the configured default
 * @param function    the {@code function} tag value, {@code fully.qualified.Class.method}
 * @param tags        constant tags; validated and sorted by key
 */
public record TimedFunction(String measurement, String function, Map<String, String> tags) {

    /** Tag keys the library sets itself; a constant tag may not use them. */
    public static final java.util.Set<String> RESERVED_TAG_KEYS =
            java.util.Set.of("hostname", "process", "function", "outcome", "exception");

    /** Whether {@code key} is one of the library's own tag keys, or {@code time}, which InfluxQL reads as the point's time. */
    public static boolean isReserved(String key) {
        return RESERVED_TAG_KEYS.contains(key) || key.equals("time");
    }

    public TimedFunction {
        if (measurement != null) {
            PointNames.checkMeasurement("measurement of " + function, measurement);
        }
        PointNames.checkName("function tag value", function);
        TreeMap<String, String> sorted = new TreeMap<>();
        Objects.requireNonNull(tags, "tags").forEach((key, value) -> {
            PointNames.checkName("tag key of " + function, key);
            PointNames.checkName("value of tag '" + key + "' of " + function, value);
            if (isReserved(key)) {
                throw new IllegalArgumentException("tag key '" + key + "' of " + function
                        + " is reserved: the library sets hostname, process, function, outcome and exception itself");
            }
            sorted.put(key, value);
        });
        tags = java.util.Collections.unmodifiableMap(sorted);
    }

    /**
     * The description an annotation gives: its measurement (empty for the default) and its
     * {@code key=value} tags.
     *
     * @throws IllegalArgumentException naming the bad value, if an attribute cannot be used
     */
    public static TimedFunction of(String function, io.rawmetrics.FunctionCall annotation) {
        java.util.LinkedHashMap<String, String> tags = new java.util.LinkedHashMap<>();
        for (String tag : annotation.tags()) {
            int eq = tag.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("tag \"" + tag + "\" must be written key=value");
            }
            String key = tag.substring(0, eq);
            if (tags.put(key, tag.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("tag key '" + key + "' is given twice");
            }
        }
        String measurement = annotation.measurement().isEmpty() ? null : annotation.measurement();
        return new TimedFunction(measurement, function, tags);
    }

    /** A function with the default measurement and no constant tags. */
    public static TimedFunction named(String function) {
        return new TimedFunction(null, function, Map.of());
    }
}

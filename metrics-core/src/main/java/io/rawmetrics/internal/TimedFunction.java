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

    /**
     * How many annotations may stand between a timed method (or class) and {@code @FunctionCall}:
     * {@code @ServiceCall} annotated {@code @FunctionCall} is one, {@code @CheckoutCall} annotated
     * {@code @ServiceCall} two. The aspect's pointcut matches exactly as deep (FunctionCallAspect).
     */
    public static final int MAX_COMPOSITION_DEPTH = 3;

    /** A composed annotation's description, and how it is named in messages ({@code @ServiceCall}). */
    public record Composed(String name, TimedFunction description) {
    }

    /**
     * The description one place gives (a method, a class, or a composed annotation): its own
     * {@code @FunctionCall}, if any, over those of the composed annotations it carries, in their
     * order. The composed annotations' tags come first and the place's own tags win over them; its
     * own measurement, if set, wins too. Two composed annotations that set the same tag key, or a
     * measurement, differently, with nothing of the place's own to decide, are an error: which one
     * wins would depend on the order annotations are written in.
     *
     * @return the description, or {@code null} if the place has neither
     * @throws IllegalArgumentException naming the bad value, or the two annotations that disagree
     */
    public static TimedFunction merged(String function, io.rawmetrics.FunctionCall own, java.util.List<Composed> composed) {
        if (own == null && composed.isEmpty()) {
            return null;
        }
        TimedFunction ownDescription = own == null ? null : of(function, own);
        java.util.Map<String, String> tags = new TreeMap<>();
        java.util.Map<String, String> tagFrom = new java.util.HashMap<>();
        String measurement = null;
        String measurementFrom = null;
        for (Composed c : composed) {
            TimedFunction d = c.description();
            for (Map.Entry<String, String> tag : d.tags().entrySet()) {
                String before = tags.put(tag.getKey(), tag.getValue());
                boolean decided = ownDescription != null && ownDescription.tags().containsKey(tag.getKey());
                if (before != null && !before.equals(tag.getValue()) && !decided) {
                    throw new IllegalArgumentException(tagFrom.get(tag.getKey()) + " and " + c.name() + " set tag '"
                            + tag.getKey() + "' to " + before + " and " + tag.getValue()
                            + ": say which with @FunctionCall(tags = \"" + tag.getKey() + "=...\") on " + function);
                }
                tagFrom.putIfAbsent(tag.getKey(), c.name());
            }
            if (d.measurement() != null) {
                boolean decided = ownDescription != null && ownDescription.measurement() != null;
                if (measurement != null && !measurement.equals(d.measurement()) && !decided) {
                    throw new IllegalArgumentException(measurementFrom + " and " + c.name() + " set the measurement to "
                            + measurement + " and " + d.measurement() + ": say which with @FunctionCall(measurement = ...) on "
                            + function);
                }
                measurement = measurement == null ? d.measurement() : measurement;
                measurementFrom = measurementFrom == null ? c.name() : measurementFrom;
            }
        }
        if (ownDescription != null) {
            tags.putAll(ownDescription.tags());
            measurement = ownDescription.measurement() != null ? ownDescription.measurement() : measurement;
        }
        return new TimedFunction(measurement, function, tags);
    }

    /**
     * The description {@code place} (a method or a class, read by reflection) gives: its own
     * {@code @FunctionCall} merged over its composed annotations', up to
     * {@value #MAX_COMPOSITION_DEPTH} levels deep ({@link #merged}).
     *
     * @return the description, or {@code null} if {@code place} has neither
     * @throws IllegalArgumentException as {@link #merged} does
     */
    public static TimedFunction described(String function, java.lang.reflect.AnnotatedElement place) {
        return describedAt(function, place.getAnnotation(io.rawmetrics.FunctionCall.class), place.getAnnotations(), 0);
    }

    private static TimedFunction describedAt(String function, io.rawmetrics.FunctionCall own,
            java.lang.annotation.Annotation[] carried, int depth) {
        java.util.List<Composed> composed = new java.util.ArrayList<>();
        if (depth < MAX_COMPOSITION_DEPTH) {
            for (java.lang.annotation.Annotation annotation : carried) {
                Class<? extends java.lang.annotation.Annotation> type = annotation.annotationType();
                if (type == io.rawmetrics.FunctionCall.class || type.getName().startsWith("java.")) {
                    continue; // the JDK's meta-annotations (@Retention, @Documented...) compose nothing, and cycle
                }
                io.rawmetrics.FunctionCall itsOwn;
                java.lang.annotation.Annotation[] itsAnnotations;
                try {
                    itsOwn = type.getAnnotation(io.rawmetrics.FunctionCall.class);
                    itsAnnotations = type.getAnnotations();
                } catch (RuntimeException unreadable) {
                    continue; // a framework's annotation whose own annotations cannot be read here composes nothing of ours
                }
                TimedFunction d = describedAt(function, itsOwn, itsAnnotations, depth + 1);
                if (d != null) {
                    composed.add(new Composed("@" + type.getSimpleName(), d));
                }
            }
        }
        return merged(function, own, composed);
    }

    /** A function with the default measurement and no constant tags. */
    public static TimedFunction named(String function) {
        return new TimedFunction(null, function, Map.of());
    }
}

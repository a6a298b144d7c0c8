package io.rawmetrics.internal.tags;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every tag's guard in this JVM, one per function and tag key, shared by the function's overloads
 * and by every recorder the JVM runs: the values a tag took are series in the database, whichever
 * recorder wrote them. The limits are the running recorder's configuration ({@link #limit}).
 */
public final class TagGuards {

    private static final Map<List<String>, TagGuard> GUARDS = new ConcurrentHashMap<>();
    private static volatile int maxValues = 100;
    private static volatile int maxLength = 256;

    private TagGuards() {
    }

    /** The limits of the recorder starting ({@code rawmetrics.max-tag-values}, {@code rawmetrics.max-tag-value-length}). */
    public static void limit(int maxTagValues, int maxTagValueLength) {
        maxValues = maxTagValues;
        maxLength = maxTagValueLength;
    }

    static int maxValues() {
        return maxValues;
    }

    static int maxLength() {
        return maxLength;
    }

    /** The guard of tag {@code key} of {@code function}. */
    static TagGuard of(String function, String key) {
        return GUARDS.computeIfAbsent(List.of(function, key), k -> new TagGuard(function, key));
    }

    /** Every guard so far, by function and key. */
    public static List<TagGuard> all() {
        List<TagGuard> all = new ArrayList<>(GUARDS.values());
        all.sort(Comparator.comparing(TagGuard::function).thenComparing(TagGuard::key));
        return all;
    }
}

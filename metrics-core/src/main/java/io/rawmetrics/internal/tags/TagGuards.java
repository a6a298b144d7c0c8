package io.rawmetrics.internal.tags;

import io.rawmetrics.internal.config.Option;
import io.rawmetrics.internal.config.Options;
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
    /*
     * Until a recorder starts, the limits its settings will give: a tagged call's value is taken
     * before the call starts the recorder (the advice binds arguments first). A setting with a bad
     * value is the default here, and the recorder's start says what is wrong with it.
     */
    private static volatile int maxValues = fromEnvironment(Options.MAX_TAG_VALUES);
    private static volatile int maxLength = fromEnvironment(Options.MAX_TAG_VALUE_LENGTH);

    private TagGuards() {
    }

    private static int fromEnvironment(Option<Integer> option) {
        try {
            String text = System.getProperty(option.key(), System.getenv(option.environmentVariable()));
            Integer value = text == null ? null : option.parse(text.strip());
            return value != null && option.problem(value) == null ? value : option.defaultValue();
        } catch (RuntimeException badOrUnreadable) {
            return option.defaultValue();
        }
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

package io.rawmetrics.it;

import io.rawmetrics.RawMetrics;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What the tag tests read back: points counted by their tags' values, and a tag's guard's counts. */
final class TaggedPoints {

    private TaggedPoints() {
    }

    /** Points per value of {@code tags}, joined by '/'; a point without a tag counts it as "". */
    static Map<String, Long> countsBy(List<Map<String, Object>> points, String... tags) {
        return points.stream().collect(Collectors.groupingBy(p -> Arrays.stream(tags)
                .map(t -> String.valueOf(p.getOrDefault(t, ""))).collect(Collectors.joining("/")), TreeMap::new,
                Collectors.counting()));
    }

    /** The guard's counts of tag {@code tag} of {@code function}, as {@link RawMetrics#stats()} gives them. */
    static RawMetrics.TagStats tagStats(String function, String tag) {
        return RawMetrics.stats().tags().stream()
                .filter(t -> t.function().equals(function) && t.tag().equals(tag))
                .findFirst().orElseThrow(() -> new AssertionError("no stats of tag " + tag + " of " + function
                        + ": " + RawMetrics.stats().tags()));
    }
}

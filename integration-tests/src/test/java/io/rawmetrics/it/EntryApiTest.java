package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Woven code reaches metrics-core's internals through a narrow entry API only (see
 * {@code io/rawmetrics/internal/package-info.java}): the rooms behind it can move without
 * touching the aspect, and a user's woven classes never link against them.
 */
class EntryApiTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> ENTRY_API = Set.of(
            "io.rawmetrics.internal.Recorder",
            "io.rawmetrics.internal.TimedFunction",
            "io.rawmetrics.internal.SiteDescriber",
            "io.rawmetrics.internal.SiteDescribers",
            "io.rawmetrics.internal.tags.TaggedMethod",
            "io.rawmetrics.internal.LibraryLog",
            "io.rawmetrics.internal.ReleasableThreadLocal");
    /** A reference to a type of metrics-core's internals, imported or fully qualified. */
    private static final Pattern INTERNAL_TYPE = Pattern.compile("\\bio\\.rawmetrics\\.internal(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void theAspectUsesOnlyTheEntryApiOfTheCoresInternals() throws IOException {
        Set<String> used = new TreeSet<>();
        Path sources = ROOT.resolve("metrics-aspect/src/main");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".aj")).toList()) {
                Matcher m = INTERNAL_TYPE.matcher(COMMENT.matcher(Files.readString(file)).replaceAll(""));
                while (m.find()) {
                    used.add(m.group());
                }
            }
        }
        assertFalse(used.isEmpty(), "no reference found under " + sources + ": the scan is broken");
        Set<String> outside = new TreeSet<>(used);
        outside.removeAll(ENTRY_API);
        assertEquals(Set.of(), outside, "metrics-aspect uses internals beyond the entry API " + ENTRY_API);
    }
}

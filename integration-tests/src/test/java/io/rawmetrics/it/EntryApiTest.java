package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Woven code reaches metrics-core's internals through a narrow entry API only (see
 * {@code io/rawmetrics/internal/package-info.java}): the rooms behind it can move without
 * touching the aspect, and a user's woven classes never link against them.
 */
class EntryApiTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> ENTRY_API = Set.of(
            "io.rawmetrics.internal.lifecycle.CallEntry",
            "io.rawmetrics.internal.TimedFunction",
            "io.rawmetrics.internal.SiteDescriber",
            "io.rawmetrics.internal.SiteDescribers",
            "io.rawmetrics.internal.tags.TaggedMethod",
            "io.rawmetrics.internal.tags.ResultTaggedMethod",
            "io.rawmetrics.internal.tags.UnfinishedSite",
            "io.rawmetrics.internal.LibraryLog",
            "io.rawmetrics.internal.ReleasableThreadLocal");

    @Test
    void theAspectUsesOnlyTheEntryApiOfTheCoresInternals() {
        Set<String> used = new TreeSet<>();
        Path sources = ROOT.resolve("metrics-aspect/src/main");
        InternalReferences.under(sources).values().forEach(used::addAll);
        assertFalse(used.isEmpty(), "no reference found under " + sources + ": the scan is broken");
        Set<String> outside = new TreeSet<>(used);
        outside.removeAll(ENTRY_API);
        assertEquals(Set.of(), outside, "metrics-aspect uses internals beyond the entry API " + ENTRY_API);
    }
}

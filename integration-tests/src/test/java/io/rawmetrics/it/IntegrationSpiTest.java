package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Integrations reach rawmetrics through its public API and its integration SPI ({@code
 * io.rawmetrics.spi}) only, never its internals: the Spring Boot starter, the servlet listener,
 * every other module save {@code metrics-aspect} (whose woven code has its own entry API, see
 * {@link EntryApiTest}) and the benchmarks (which measure the internals on purpose), and the
 * examples users copy. The internals can then move
 * without breaking them, and the next integration has a seam to copy, not a reach.
 */
class IntegrationSpiTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    /** Modules allowed inside: the core itself, the aspect's entry API, the benchmarks of internals. */
    private static final Set<String> INSIDE = Set.of("metrics-core", "metrics-aspect", "benchmarks");

    @Test
    void noModuleNorExampleOutsideTheCoreUsesItsInternals() throws IOException {
        List<Path> scanned = new ArrayList<>();
        for (String module : modules()) {
            if (!INSIDE.contains(module)) {
                scanned.add(ROOT.resolve(module).resolve("src/main"));
            }
        }
        scanned.add(ROOT.resolve("metrics-core/src/main/java/io/rawmetrics/servlet"));
        try (Stream<Path> examples = Files.list(ROOT.resolve("examples"))) {
            examples.filter(Files::isDirectory).map(example -> example.resolve("src")).forEach(scanned::add);
        }
        assertTrue(scanned.contains(ROOT.resolve("rawmetrics-spring-boot-starter/src/main")), "published modules: " + scanned);
        Map<Path, Set<String>> reaching = new TreeMap<>();
        long sources = 0;
        for (Path directory : scanned) {
            sources += InternalReferences.sources(directory);
            reaching.putAll(InternalReferences.under(directory));
        }
        assertTrue(sources > 50, "only " + sources + " sources found in " + scanned + ": the scan is broken");
        assertEquals(Map.of(), reaching, "integrations use io.rawmetrics.internal; use io.rawmetrics.spi (or widen it)");
    }

    @Test
    void theScanFindsAnInternalTypeImportedOrFullyQualifiedButNotInAComment() {
        assertEquals(Set.of("io.rawmetrics.internal.lifecycle.Lifecycle", "io.rawmetrics.internal.writer.Pipeline"),
                InternalReferences.in("import io.rawmetrics.internal.lifecycle.Lifecycle;\n"
                        + "class A { Object p = io.rawmetrics.internal.writer.Pipeline.class; }\n"
                        + "/** {@link io.rawmetrics.internal.LibraryLog} */ // io.rawmetrics.internal.Options\n"));
        assertFalse(InternalReferences.in("import io.rawmetrics.spi.RecordingOwner;").iterator().hasNext());
    }

    /** The root pom's modules. */
    private static List<String> modules() throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher module = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (module.find()) {
            modules.add(module.group(1));
        }
        return modules;
    }
}

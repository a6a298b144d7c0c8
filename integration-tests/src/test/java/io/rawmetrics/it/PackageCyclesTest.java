package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The published modules' packages depend on one another one way only, read from their compiled
 * classes. One exception, bounded: the API package {@code io.rawmetrics} holds both the entry
 * points that start the internals ({@code RawMetrics}, {@code RequestMetrics}) and the value types
 * the internals are handed (the configuration, the annotations, a tag resolver, the exception a
 * bad setting throws); splitting them would break the API. So the API package is left out of the
 * cycle check, and the internals may refer to those value types only.
 */
class PackageCyclesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> PUBLISHED = List.of("metrics-core", "metrics-aspect", "rawmetrics-spring-boot-starter");
    private static final String API = "io.rawmetrics";
    /** What the internals are handed from the API package. */
    private static final Set<String> API_VALUES = Set.of("io.rawmetrics.RawMetricsConfig", "io.rawmetrics.FunctionCall",
            "io.rawmetrics.Tag", "io.rawmetrics.ResultTag", "io.rawmetrics.TagResolver", "io.rawmetrics.InvalidConfigurationException");

    private static PackageGraph graph;

    @BeforeAll
    static void readTheCompiledClasses() {
        List<Path> classes = PUBLISHED.stream().map(module -> ROOT.resolve(module).resolve("target/classes")).toList();
        classes.forEach(directory -> assertTrue(Files.isDirectory(directory), directory + " is not built"));
        graph = PackageGraph.of(classes);
        assertTrue(graph.size() > 50, "only " + graph.size() + " classes refer to others: jdeps was read wrong");
    }

    @Test
    void noPackageCycleSaveThroughTheApiPackage() {
        assertEquals(List.of(), graph.cycles(API::equals), "package cycles (the class references that close each)");
    }

    @Test
    void theInternalsAreHandedOnlyTheApisValueTypes() {
        Map<String, Set<String>> beyond = graph.references(c -> c.startsWith(API + ".internal."),
                c -> PackageGraph.packageOf(c).equals(API) && !API_VALUES.contains(c));
        assertEquals(Map.of(), beyond, "internals that use the API's entry points (start the internals from the top only)");
    }

    /** design.md's map: the buffers and the spool are mechanisms the other rooms use, and know none of them. */
    @Test
    void theBuffersAndTheSpoolReferToNoOtherRoom() {
        for (String room : List.of("buffer", "spool")) {
            String own = API + ".internal." + room;
            Map<String, Set<String>> beyond = graph.references(c -> PackageGraph.packageOf(c).equals(own),
                    c -> c.startsWith(API + ".internal.") && !PackageGraph.packageOf(c).equals(own)
                            && !PackageGraph.packageOf(c).equals(API + ".internal"));
            assertEquals(Map.of(), beyond, room + "'s references to other rooms");
        }
    }

    @Test
    void theCheckFindsACycleAndNamesTheReferencesThatCloseIt() {
        PackageGraph cyclic = new PackageGraph(Map.of(
                "a.x.One", Set.of("a.y.Two"),
                "a.y.Two", Set.of("a.z.Three"),
                "a.z.Three", Set.of("a.x.One", "a.w.Leaf")));
        assertEquals(List.of(Map.of("a.x.One", Set.of("a.y.Two"), "a.y.Two", Set.of("a.z.Three"), "a.z.Three", Set.of("a.x.One"))),
                cyclic.cycles(p -> false));
        assertEquals(List.of(), cyclic.cycles("a.y"::equals));
    }
}

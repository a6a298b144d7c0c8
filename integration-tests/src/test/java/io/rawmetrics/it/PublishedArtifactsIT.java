package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A release is one command away: {@code mvn -B -P release verify} in a fresh copy of the
 * repository builds the published modules' sources and javadoc jars (javadoc failing on any
 * warning), the jars name their modules, the POMs carry what Maven Central requires, and every
 * other module stays out of deploy.
 */
class PublishedArtifactsIT {

    private static final List<String> PUBLISHED = List.of("rawmetrics-bom", "metrics-core", "metrics-aspect",
            "rawmetrics-spring-boot-starter");
    private static final String VERSION = "0.1.0-SNAPSHOT";

    @TempDir
    Path work;

    @Test
    void theReleaseProfileBuildsSourcesAndJavadocForThePublishedModules() throws Exception {
        Path repository = ExampleProjects.copyProject(Path.of("..").toAbsolutePath().normalize(), work);
        String build = ExampleProjects.mvn(repository, Map.of(), "-B", "-P", "release", "verify", "-DskipTests",
                "-pl", String.join(",", PUBLISHED));
        assertTrue(build.contains("BUILD SUCCESS"), build);
        assertFalse(build.contains("Javadoc Warnings"), build);

        for (String module : List.of("metrics-core", "metrics-aspect", "rawmetrics-spring-boot-starter")) {
            Path target = repository.resolve(module).resolve("target");
            for (String classifier : List.of("", "-sources", "-javadoc")) {
                assertTrue(Files.isRegularFile(target.resolve(module + "-" + VERSION + classifier + ".jar")), module + classifier);
            }
        }
        assertTrue(entries(repository.resolve("metrics-core/target/metrics-core-" + VERSION + "-javadoc.jar"))
                .contains("io.rawmetrics.core/io/rawmetrics/FunctionCall.html"), "documented as the module it names");
        assertFalse(entries(repository.resolve("metrics-core/target/metrics-core-" + VERSION + "-javadoc.jar"))
                .stream().anyMatch(e -> e.contains("/internal/")), "the public API only");
        assertTrue(entries(repository.resolve("metrics-aspect/target/metrics-aspect-" + VERSION + "-sources.jar"))
                .contains("io/rawmetrics/aspect/TimedPointcut.aj"), "the aspect's source, with its documentation");
        assertTrue(entries(repository.resolve("metrics-aspect/target/metrics-aspect-" + VERSION + "-javadoc.jar"))
                .contains("index.html"));
        assertEquals("io.rawmetrics.core", moduleName(repository.resolve("metrics-core/target/metrics-core-" + VERSION + ".jar")));
        assertEquals("io.rawmetrics.aspect", moduleName(repository.resolve("metrics-aspect/target/metrics-aspect-" + VERSION + ".jar")));
        assertEquals("io.rawmetrics.spring.boot", moduleName(repository.resolve(
                "rawmetrics-spring-boot-starter/target/rawmetrics-spring-boot-starter-" + VERSION + ".jar")));
        try (Stream<Path> files = Files.walk(repository)) {
            assertFalse(files.anyMatch(f -> f.toString().endsWith(".asc")), "no signature without a key");
        }
    }

    @Test
    void publishedPomsCarryCentralsMetadataAndTheOtherModulesSkipDeploy() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        for (Path pom : List.of(root.resolve("pom.xml"), root.resolve("rawmetrics-bom/pom.xml"))) {
            Element project = parse(pom);
            for (String required : List.of("name", "description", "url")) {
                assertFalse(child(project, required).isBlank(), pom + " " + required);
            }
            assertFalse(path(project, "licenses", "license", "name").isBlank(), pom + " license");
            assertFalse(path(project, "scm", "connection").isBlank(), pom + " scm");
            assertFalse(path(project, "developers", "developer", "name").isBlank(), pom + " developers");
        }
        List<String> unpublished = new ArrayList<>();
        NodeList modules = parse(root.resolve("pom.xml")).getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent().strip();
            Element pom = parse(root.resolve(module).resolve("pom.xml"));
            assertFalse(child(pom, "name").isBlank(), module + " has a name");
            assertFalse(child(pom, "description").isBlank(), module + " has a description");
            if (!PUBLISHED.contains(module)) {
                unpublished.add(module);
                assertEquals("true", path(pom, "properties", "maven.deploy.skip"), module + " stays out of deploy");
            }
        }
        assertEquals(List.of("influxd-process", "integration-tests", "metrics-dashboard", "hello-world-v2", "benchmarks"), unpublished);
        List<String> excludedFromCentral = new ArrayList<>();
        NodeList excluded = parse(root.resolve("pom.xml")).getElementsByTagName("excludeArtifact");
        for (int i = 0; i < excluded.getLength(); i++) {
            excludedFromCentral.add(excluded.item(i).getTextContent().strip());
        }
        assertEquals(unpublished, excludedFromCentral, "the Central publisher leaves out the same modules");
    }

    private static List<String> entries(Path jar) throws Exception {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName()).toList();
        }
    }

    private static String moduleName(Path jar) throws Exception {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
        }
    }

    private static Element parse(Path pom) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        return document.getDocumentElement();
    }

    /** The text of {@code parent}'s direct child {@code name}, or "". */
    private static String child(Element parent, String name) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().strip();
            }
        }
        return "";
    }

    private static String path(Element parent, String... names) {
        Element at = parent;
        for (int i = 0; i < names.length - 1; i++) {
            Element next = null;
            for (var node = at.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && element.getTagName().equals(names[i])) {
                    next = element;
                    break;
                }
            }
            if (next == null) {
                return "";
            }
            at = next;
        }
        return child(at, names[names.length - 1]);
    }
}

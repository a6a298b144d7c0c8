package io.rawmetrics.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The JDKs the examples are built and run on: the one running the test suite (the JDK that runs
 * Maven), and every JDK declared in the user's Maven toolchains, {@code ~/.m2/toolchains.xml}
 * (Maven's standard place for "the other JDKs on this machine"). No path is written in the code.
 *
 * <p>A JDK declared there but missing is an error naming it and saying how to fix it, never a
 * silent skip. With no toolchains file, the examples run on the running JDK alone.
 */
final class Jdks {

    /** The toolchains file read; the {@code rawmetrics.toolchains} system property overrides it, for this class's own test. */
    static final Path TOOLCHAINS = Path.of(System.getProperty("rawmetrics.toolchains",
            Path.of(System.getProperty("user.home"), ".m2", "toolchains.xml").toString()));

    private Jdks() {
    }

    /** A JDK: its feature version and its home. */
    record Jdk(int version, Path home) {

        /** 1.9.25 is the first AspectJ that reads Java 25 classes; 1.9.24 covers 17 to 24. */
        String aspectjVersion() {
            return version >= 25 ? "1.9.25" : "1.9.24";
        }

        /** The newest {@code complianceLevel} that {@link #aspectjVersion()} accepts. */
        int newestAspectjLevel() {
            return version >= 25 ? 25 : 24;
        }

        Path java() {
            return home.resolve("bin").resolve("java");
        }

        /** What {@code -XshowSettings:properties} prints on this JDK. */
        String versionLine() {
            return "java.specification.version = " + version;
        }

        @Override
        public String toString() {
            return "Java " + version;
        }
    }

    /** The JDK running this test suite. */
    static Jdk running() {
        return new Jdk(Runtime.version().feature(), Path.of(System.getProperty("java.home")));
    }

    /** The running JDK, then each JDK of another version declared in the toolchains, by version. */
    static List<Jdk> all() {
        Map<Integer, Jdk> byVersion = new LinkedHashMap<>();
        Jdk running = running();
        byVersion.put(running.version(), running);
        for (Jdk declared : declared(TOOLCHAINS)) {
            byVersion.putIfAbsent(declared.version(), declared);
        }
        return List.copyOf(byVersion.values());
    }

    /** The first JDK of {@link #all()} at {@code version} or later, if any. */
    static Optional<Jdk> atLeast(int version) {
        return all().stream().filter(jdk -> jdk.version() >= version).findFirst();
    }

    /**
     * The JDKs of type {@code jdk} in a toolchains file, each checked to exist.
     *
     * @throws IllegalStateException naming the entry, the path, and the fix, for a JDK that is not there
     */
    static List<Jdk> declared(Path toolchains) {
        if (!Files.exists(toolchains)) {
            return List.of();
        }
        List<Jdk> jdks = new ArrayList<>();
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(toolchains.toFile());
            NodeList toolchainElements = document.getElementsByTagName("toolchain");
            for (int i = 0; i < toolchainElements.getLength(); i++) {
                Element toolchain = (Element) toolchainElements.item(i);
                if (!"jdk".equals(text(toolchain, "type"))) {
                    continue;
                }
                String version = text(toolchain, "version");
                String home = text(toolchain, "jdkHome");
                if (version == null || home == null) {
                    throw new IllegalStateException(toolchains + ": a <toolchain> of type jdk needs <provides><version> and"
                            + " <configuration><jdkHome>; it has version " + version + ", jdkHome " + home);
                }
                Jdk jdk = new Jdk(featureVersion(version), Path.of(home));
                if (!Files.isExecutable(jdk.java())) {
                    throw new IllegalStateException(toolchains + " declares JDK " + version + " at " + home
                            + ", but there is no " + jdk.java() + ": install that JDK, or correct its <jdkHome>, or remove"
                            + " its <toolchain> to run the examples without it (see the README, \"Run the tests\")");
                }
                jdks.add(jdk);
            }
        } catch (IOException | javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IllegalStateException("cannot read " + toolchains + ": " + e.getMessage(), e);
        }
        return jdks;
    }

    /** {@code 25}, {@code 17.0.15} or {@code 1.8} as the feature version: 25, 17, 8. */
    static int featureVersion(String version) {
        String[] parts = version.strip().split("[.]");
        int first = Integer.parseInt(parts[0]);
        return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    }

    private static String text(Element parent, String tag) {
        NodeList found = parent.getElementsByTagName(tag);
        return found.getLength() == 0 ? null : found.item(0).getTextContent().strip();
    }
}

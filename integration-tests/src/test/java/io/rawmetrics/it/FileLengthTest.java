package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No source file of a published module is over 350 lines unless the first paragraph of its
 * type's comment says why it is one concept ("over 350 lines because ..."): a long file must be a
 * decision, written where the next reader looks, not an accident.
 */
class FileLengthTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> PUBLISHED = List.of("metrics-core", "metrics-aspect", "rawmetrics-spring-boot-starter");
    private static final int MOST = 350;

    @Test
    void everyLongSourceFileSaysWhyInItsOpeningParagraph() throws IOException {
        Map<String, Integer> unexplained = new TreeMap<>();
        int files = 0;
        for (String module : PUBLISHED) {
            try (Stream<Path> sources = Files.walk(ROOT.resolve(module).resolve("src/main"))) {
                for (Path file : sources.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".aj")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(file);
                    if (lines.size() > MOST && !openingParagraph(lines).toLowerCase(java.util.Locale.ROOT).contains("over " + MOST + " lines")) {
                        unexplained.put(ROOT.relativize(file).toString(), lines.size());
                    }
                }
            }
        }
        assertTrue(files > 100, "only " + files + " sources found: the scan is broken");
        assertEquals(Map.of(), unexplained, "files over " + MOST + " lines whose opening paragraph does not say why");
    }

    /** The first paragraph of the first javadoc comment: up to its first {@code <p>} or its end. */
    static String openingParagraph(List<String> lines) {
        StringBuilder text = new StringBuilder();
        boolean inside = false;
        for (String line : lines) {
            String trimmed = line.trim();
            if (!inside && trimmed.startsWith("/**")) {
                inside = true;
                trimmed = trimmed.substring(3);
            } else if (!inside) {
                continue;
            }
            int end = trimmed.indexOf("*/");
            String content = (end >= 0 ? trimmed.substring(0, end) : trimmed).replaceFirst("^\\*\\s?", "");
            if (content.startsWith("<p>")) {
                break;
            }
            text.append(content).append(' ');
            if (end >= 0) {
                break;
            }
        }
        return text.toString().replaceAll("\\s+", " ").trim();
    }

    @Test
    void theOpeningParagraphEndsAtTheFirstParagraphBreak() {
        assertEquals("One thing. Over it.", openingParagraph(List.of("package a;", "/**", " * One thing.", " * Over it.",
                " *", " * <p>over 350 lines because of nothing", " */", "class A {}")));
    }
}

package io.rawmetrics.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The types of metrics-core's internals that sources name, imported or fully qualified, outside comments. */
final class InternalReferences {

    private static final Pattern INTERNAL_TYPE = Pattern.compile("\\bio\\.rawmetrics\\.internal(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    private InternalReferences() {
    }

    /** The internal types that {@code source} (a Java, Kotlin or AspectJ file's text) names. */
    static Set<String> in(String source) {
        Set<String> types = new TreeSet<>();
        Matcher m = INTERNAL_TYPE.matcher(COMMENT.matcher(source).replaceAll(""));
        while (m.find()) {
            types.add(m.group());
        }
        return types;
    }

    /** For each source file under {@code directory} that names an internal type, which ones. */
    static Map<Path, Set<String>> under(Path directory) {
        Map<Path, Set<String>> found = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(InternalReferences::isSource).toList()) {
                Set<String> types = in(Files.readString(file));
                if (!types.isEmpty()) {
                    found.put(file, types);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** How many source files there are under {@code directory}: a scan that finds none is broken. */
    static long sources(Path directory) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(InternalReferences::isSource).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isSource(Path file) {
        String name = file.toString();
        return name.endsWith(".java") || name.endsWith(".aj") || name.endsWith(".kt");
    }
}

package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every fenced code block in the README, examples/README.md and docs/ says, in an HTML comment on
 * the line before it, what keeps it true, and that claim is checked here:
 *
 * <ul>
 *   <li>{@code <!-- checked: in PATH [with FROM=TO, ...] -->}: the block's lines (trimmed; blank
 *       lines and lines with "..." left out) occur in that order in PATH, a file the test suite
 *       builds and runs (an example project, a module's sources or tests), after replacing each
 *       FROM in it with TO;</li>
 *   <li>{@code <!-- checked: run-by PATH -->}: each command in the block (its {@code $ } lines if
 *       it has any, otherwise every line, without a trailing {@code # comment}) is in PATH, a test
 *       or script the test command runs;</li>
 *   <li>{@code <!-- checked: output-of PATH | TEXT -->}: TEXT is in the block, and in PATH, a test
 *       that asserts it in real output;</li>
 *   <li>{@code <!-- not run: REASON -->}: nothing runs it here, and the reason says why.</li>
 * </ul>
 *
 * Commands written inline in prose (install instructions) are not covered.
 */
class DocsAreExercisedTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern FENCE = Pattern.compile("^\\s*```.*");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!-- (checked: (in|run-by|output-of) (.+)|not run: (.+)) -->\\s*$");

    /** One fenced block: where it is, its lines, and the line before its opening fence. */
    record Block(Path file, int line, List<String> lines, String marker) {
        String where() {
            return ROOT.relativize(file) + ":" + line;
        }
    }

    @Test
    void everyCodeBlockInTheDocsIsExercisedOrSaysWhyNot() throws IOException {
        List<Block> blocks = blocks();
        assertTrue(blocks.size() > 30, "found the docs' code blocks: " + blocks.size());
        List<String> problems = new ArrayList<>();
        for (Block block : blocks) {
            String problem = check(block);
            if (problem != null) {
                problems.add(block.where() + ": " + problem);
            }
        }
        assertEquals(List.of(), problems, "code blocks in the docs that nothing keeps true");
    }

    @Test
    void aSnippetThatDriftsFromItsSourceIsCaught() {
        Path pom = ROOT.resolve("examples/quickstart/pom.xml");
        Block drifted = new Block(pom, 1, List.of("<artifactId>metrics-aspect</artifactId>", "<version>9.9.9</version>"),
                "<!-- checked: in examples/quickstart/pom.xml -->");
        assertTrue(String.valueOf(check(drifted)).contains("<version>9.9.9</version>"), String.valueOf(check(drifted)));
        Block unmarked = new Block(pom, 1, List.of("mvn -B install"), "");
        assertTrue(String.valueOf(check(unmarked)).contains("no <!-- checked: ... --> or <!-- not run: ... -->"));
    }

    private static List<Block> blocks() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("examples/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Block> blocks = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (FENCE.matcher(lines.get(i)).matches()) {
                    int end = i + 1;
                    while (end < lines.size() && !FENCE.matcher(lines.get(end)).matches()) {
                        end++;
                    }
                    assertTrue(end < lines.size(), () -> file + " has an unclosed code block");
                    blocks.add(new Block(file, i + 1, lines.subList(i + 1, end), i > 0 ? lines.get(i - 1) : ""));
                    i = end;
                }
            }
        }
        return blocks;
    }

    /** Null when the block's marker holds, otherwise what is wrong. */
    private static String check(Block block) {
        Matcher marker = MARKER.matcher(block.marker());
        if (!marker.matches()) {
            return "no <!-- checked: ... --> or <!-- not run: ... --> on the line before the block";
        }
        if (marker.group(4) != null) {
            return marker.group(4).isBlank() ? "not run, with no reason given" : null;
        }
        try {
            return switch (marker.group(2)) {
                case "in" -> checkIn(block, marker.group(3));
                case "run-by" -> checkRunBy(block, marker.group(3));
                case "output-of" -> checkOutputOf(block, marker.group(3));
                default -> throw new IllegalStateException(marker.group(2));
            };
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String checkIn(Block block, String argument) throws IOException {
        String[] pathAndSubstitutions = argument.split(" with ", 2);
        Path source = ROOT.resolve(pathAndSubstitutions[0].trim());
        String where = ROOT.relativize(source).toString();
        if (!where.startsWith("examples/") && !where.contains("/src/")) {
            return where + " is neither an example project nor a module's sources or tests";
        }
        if (!Files.isRegularFile(source)) {
            return where + " does not exist";
        }
        String text = Files.readString(source);
        if (pathAndSubstitutions.length == 2) {
            for (String substitution : pathAndSubstitutions[1].split(",")) {
                String[] fromTo = substitution.trim().split("=", 2);
                text = text.replace(fromTo[0], fromTo[1]);
            }
        }
        List<String> sourceLines = text.lines().map(String::trim).toList();
        int next = 0;
        for (String line : block.lines()) {
            String wanted = line.trim();
            if (wanted.isEmpty() || wanted.contains("...")) {
                continue;
            }
            int found = sourceLines.subList(next, sourceLines.size()).indexOf(wanted);
            if (found < 0) {
                return "line \"" + wanted + "\" is not in " + where + " (after the lines before it)";
            }
            next += found + 1;
        }
        return null;
    }

    private static String checkRunBy(Block block, String path) throws IOException {
        Path runner = ROOT.resolve(path.trim());
        String where = ROOT.relativize(runner).toString();
        if (!where.contains("/src/test/") && !where.startsWith(".ci/")) {
            return where + " is neither a test nor the CI script";
        }
        if (!Files.isRegularFile(runner)) {
            return where + " does not exist";
        }
        String text = normalize(Files.readString(runner));
        boolean prompted = block.lines().stream().anyMatch(l -> l.startsWith("$ "));
        for (String line : block.lines()) {
            if (line.isBlank() || (prompted && !line.startsWith("$ "))) {
                continue;
            }
            String command = normalize(line.replaceFirst("^\\$ ", "").replaceFirst("\\s+#.*$", ""));
            if (!text.contains(command) && !text.contains(normalize(javaEscaped(command)))) {
                return "command \"" + command + "\" is not in " + where;
            }
        }
        return null;
    }

    private static String checkOutputOf(Block block, String argument) throws IOException {
        String[] pathAndText = argument.split(" \\| ", 2);
        if (pathAndText.length != 2) {
            return "output-of needs PATH | TEXT";
        }
        Path test = ROOT.resolve(pathAndText[0].trim());
        String where = ROOT.relativize(test).toString();
        String fragment = pathAndText[1];
        if (!where.contains("/src/test/")) {
            return where + " is not a test";
        }
        if (!Files.isRegularFile(test)) {
            return where + " does not exist";
        }
        if (!String.join("\n", block.lines()).contains(fragment)) {
            return "\"" + fragment + "\" is not in the block";
        }
        String source = Files.readString(test);
        if (!source.contains(fragment) && !source.contains(javaEscaped(fragment))) {
            return "\"" + fragment + "\" is not asserted by " + where;
        }
        return null;
    }

    private static String javaEscaped(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String normalize(String text) {
        return text.replaceAll("\\s+", " ");
    }
}

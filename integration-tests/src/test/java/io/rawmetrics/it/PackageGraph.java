package io.rawmetrics.it;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * Which class of ours refers to which, read from the compiled classes by the JDK's {@code jdeps}
 * (so that a type named in a comment does not count, and one reached without an import does),
 * and the package cycles among them.
 */
final class PackageGraph {

    /** A line of {@code jdeps -verbose:class}: {@code    a.b.C    -> d.e.F    not found}. */
    private static final Pattern DEPENDENCY = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)");

    /** For each class (nested classes counted as their outermost), the classes of ours it refers to. */
    private final Map<String, Set<String>> classes;

    PackageGraph(Map<String, Set<String>> classes) {
        this.classes = classes;
    }

    /** The references among the classes of {@code io.rawmetrics} in {@code directories}. */
    static PackageGraph of(List<Path> directories) {
        List<String> arguments = new ArrayList<>(List.of("-verbose:class", "-filter:none"));
        directories.forEach(directory -> arguments.add(directory.toString()));
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(out), arguments.toArray(String[]::new));
        if (exit != 0) {
            throw new IllegalStateException("jdeps " + arguments + " failed (" + exit + "):\n" + out);
        }
        Map<String, Set<String>> classes = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = DEPENDENCY.matcher(line);
            if (m.find() && m.group(1).startsWith("io.rawmetrics.") && m.group(2).startsWith("io.rawmetrics.")) {
                String from = outermost(m.group(1));
                String to = outermost(m.group(2));
                if (!from.equals(to)) {
                    classes.computeIfAbsent(from, c -> new TreeSet<>()).add(to);
                }
            }
        }
        return new PackageGraph(classes);
    }

    private static String outermost(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }

    static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    /** How many classes refer to another of ours: a graph of none was read wrong. */
    int size() {
        return classes.size();
    }

    /** Each class that refers to one {@code forbidden} accepts, with those it refers to. */
    Map<String, Set<String>> references(Predicate<String> from, Predicate<String> forbidden) {
        Map<String, Set<String>> found = new TreeMap<>();
        classes.forEach((source, targets) -> {
            if (from.test(source)) {
                targets.stream().filter(forbidden).forEach(t -> found.computeIfAbsent(source, s -> new TreeSet<>()).add(t));
            }
        });
        return found;
    }

    /**
     * The package cycles, leaving out the packages {@code ignored} accepts: each is a set of
     * packages that all reach one another, with the class references that close it.
     */
    List<Map<String, Set<String>>> cycles(Predicate<String> ignored) {
        Map<String, Set<String>> packages = new TreeMap<>();
        classes.forEach((source, targets) -> {
            String from = packageOf(source);
            if (ignored.test(from)) {
                return;
            }
            Set<String> to = packages.computeIfAbsent(from, p -> new TreeSet<>());
            targets.stream().map(PackageGraph::packageOf).filter(p -> !p.equals(from) && !ignored.test(p)).forEach(to::add);
        });
        List<Map<String, Set<String>>> cycles = new ArrayList<>();
        for (Set<String> component : new StronglyConnected(packages).components()) {
            if (component.size() > 1) {
                Map<String, Set<String>> closing = new TreeMap<>();
                references(c -> component.contains(packageOf(c)), c -> component.contains(packageOf(c))).forEach(
                        (source, targets) -> targets.stream().filter(t -> !packageOf(t).equals(packageOf(source)))
                                .forEach(t -> closing.computeIfAbsent(source, s -> new TreeSet<>()).add(t)));
                cycles.add(closing);
            }
        }
        return cycles;
    }

    /** Tarjan's strongly connected components of a small directed graph. */
    private static final class StronglyConnected {
        private final Map<String, Set<String>> edges;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<Set<String>> components = new ArrayList<>();

        StronglyConnected(Map<String, Set<String>> edges) {
            this.edges = edges;
        }

        List<Set<String>> components() {
            Set<String> nodes = new TreeSet<>(edges.keySet());
            edges.values().forEach(nodes::addAll);
            for (String node : nodes) {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            }
            return components;
        }

        private void visit(String node) {
            index.put(node, index.size());
            low.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : edges.getOrDefault(node, Set.of())) {
                if (!index.containsKey(next)) {
                    visit(next);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (onStack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                Set<String> component = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(node));
                components.add(component);
            }
        }
    }
}

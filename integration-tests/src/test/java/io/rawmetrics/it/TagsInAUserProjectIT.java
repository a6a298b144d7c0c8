package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.Jdks.Jdk;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @Tag} as a newcomer meets it: the README's quickstart project with a tag added, built by a
 * real {@code mvn}, run in its own JVM against a real influxd. Its build says what is wrong with a
 * tag, as docs/troubleshooting.md shows; its run says when the guard folds values, and InfluxDB
 * holds one series per value up to the cap, and {@code other}.
 */
class TagsInAUserProjectIT {

    @TempDir
    Path work;

    @Test
    void aTaggedMethodIsWrittenPerValueUpToTheCapAndTheBuildWarnsOfAnUntimedTag() throws Exception {
        Jdk jdk = Jdks.running();
        Path project = ExampleProjects.copy("quickstart", work);
        Path shop = project.resolve("src/main/java/com/example/Shop.java");
        ExampleProjects.replaceIn(shop, "public String checkout(String item) {",
                "public String checkout(@io.rawmetrics.Tag(\"item\") String item) {");
        ExampleProjects.replaceIn(shop, "    public static void main(", """
                    public String describe(@io.rawmetrics.Tag("item") String item) {
                        return item;
                    }

                    public static void main(""");

        String build = ExampleProjects.build(project, jdk);
        assertTrue(build.contains("BUILD SUCCESS"), build);
        assertTrue(build.contains("@Tag on com.example.Shop.describe, which @FunctionCall does not time (not on the"
                + " method, nor on its class for a public method): its tags are written only if a pointcut aspect of"
                + " yours times it; then say so with @SuppressWarnings(\"rawmetrics-untimed-tag\")"),
                "the warning docs/troubleshooting.md shows:\n" + build);

        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "shop")) {
            String out = ExampleProjects.runJava(jdk, project, project.resolve("target/classes"),
                    List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=shop"),
                    "com.example.Shop", "1000");
            assertTrue(out.contains("sold book 999"), out);
            assertTrue(out.contains("rawmetrics: tag 'item' of com.example.Shop.checkout has taken 100 distinct values,"
                    + " its most (rawmetrics.max-tag-values): calls with any other value are written with item=other,"
                    + " and counted in RawMetrics.stats()"), "the warning docs/schema.md shows:\n" + out);

            Map<String, Long> counts = influx.pointsOf("raw-requests", "com.example.Shop.checkout").stream()
                    .collect(Collectors.groupingBy(p -> (String) p.get("item"), TreeMap::new, Collectors.counting()));
            assertEquals(101, counts.size(), counts.keySet()::toString);
            assertEquals(900L, counts.get("other"));
            assertEquals(1L, counts.get("book 0"));
            assertEquals(1L, counts.get("book 99"));
            assertEquals(1000L, counts.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    @Test
    void aResultTagIsWrittenFromEachResultAndOneOnAVoidMethodFailsTheBuildAsTroubleshootingSays() throws Exception {
        Jdk jdk = Jdks.running();
        Path project = ExampleProjects.copy("quickstart", work);
        Path shop = project.resolve("src/main/java/com/example/Shop.java");
        ExampleProjects.replaceIn(shop, "    @FunctionCall\n    public String checkout(String item) {", """
                    /** The first word of a sale: "sold". */
                    public static final class FirstWord implements io.rawmetrics.TagResolver<String> {
                        public String resolve(String sale) {
                            return sale.substring(0, sale.indexOf(' '));
                        }
                    }

                    @FunctionCall
                    @io.rawmetrics.ResultTag(value = "result", resolver = FirstWord.class)
                    public String checkout(String item) {""");

        String build = ExampleProjects.build(project, jdk);
        assertTrue(build.contains("BUILD SUCCESS"), build);
        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "shop")) {
            String out = ExampleProjects.runJava(jdk, project, project.resolve("target/classes"),
                    List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=shop"),
                    "com.example.Shop", "500");
            assertTrue(out.contains("sold book 499"), out);
            Map<String, Long> counts = influx.pointsOf("raw-requests", "com.example.Shop.checkout").stream()
                    .collect(Collectors.groupingBy(p -> String.valueOf(p.get("result")), TreeMap::new,
                            Collectors.counting()));
            assertEquals(Map.of("sold", 500L), counts);
        }

        ExampleProjects.replaceIn(shop, "    public static void main(", """
                    @FunctionCall
                    @io.rawmetrics.ResultTag("result")
                    public void restock(String item) {
                    }

                    public static void main(""");
        String failed = ExampleProjects.buildExpectingFailure(project, jdk);
        assertTrue(failed.contains("invalid @ResultTag on com.example.Shop.restock: the method returns void: there is"
                + " no result to take the tag from"), "the error docs/troubleshooting.md shows:\n" + failed);
    }

    @Test
    void aTagWithTheLibrarysOwnKeyFailsTheBuildAsTroubleshootingSays() throws Exception {
        Jdk jdk = Jdks.running();
        Path project = ExampleProjects.copy("quickstart", work);
        ExampleProjects.replaceIn(project.resolve("src/main/java/com/example/Shop.java"),
                "public String checkout(String item) {", "public String checkout(@io.rawmetrics.Tag(\"outcome\") String item) {");

        String build = ExampleProjects.buildExpectingFailure(project, jdk);
        String error = "invalid @Tag on parameter 'item' of com.example.Shop.checkout: tag key 'outcome' is reserved";
        assertTrue(build.contains(error + ": the library sets hostname, process, function, outcome and exception itself"),
                "the error docs/troubleshooting.md shows:\n" + build);
    }
}

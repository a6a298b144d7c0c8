package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Code that must be written out several times, where Java and AspectJ give no way to write it
 * once, is checked to differ only where it must: the aspect's advice (one per return type, because
 * a typed {@code around} advice returns a primitive without boxing it; one per argument position,
 * because AspectJ binds arguments by position only; tagged and untagged twins, so that a method
 * without tags pays nothing for them) and the Actuator health configurations of Spring Boot 3 and
 * 4 (the same API in other packages). An edit made to one copy and not the others fails here.
 */
class NearCopiesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path ADVICE = ROOT.resolve("metrics-aspect/src/main/aspect/io/rawmetrics/aspect/internal/TimedMethods.aj");
    /** An advice: its annotation line, its declaration up to the brace, its body. */
    private static final Pattern AROUND = Pattern.compile(
            "@SuppressAjWarnings\\(\"adviceDidNotMatch\"\\)\\s*\\n\\s*(\\w+ around\\([^)]*\\):.*?)\\{\\n(.*?)\\n    }\\n",
            Pattern.DOTALL);
    private static final Pattern BEFORE = Pattern.compile(
            "@SuppressAjWarnings\\(\"adviceDidNotMatch\"\\)\\s*\\n\\s*(before\\(Object argument\\):[^{]*)\\{\\n(.*?)\\n    }\\n",
            Pattern.DOTALL);
    /** The line a tagged advice adds: its site is what the arguments give. */
    private static final String TAGGED_SITE = "        Object site = FunctionCalls.tagged(thisJoinPointStaticPart);\n";

    /**
     * Where a tagged twin differs on purpose, beyond its site. A resumed suspend function drops the
     * arguments the positional advice bound (it is no call: nothing takes them); a lazy result's
     * observer needs the join point too, to describe the method if its subscription never ends.
     */
    private static final Map<String, String> DELIBERATE = Map.of(
            "            FunctionCalls.untagged(); // not a call: nothing takes the arguments the advice above bound\n", "",
            "        // The join point too: it describes the method if the subscription never ends.\n"
                    + "        return FunctionCalls.subscribedLater(thisJoinPointStaticPart, thisJoinPointStaticPart, ",
            "        return FunctionCalls.subscribedLater(thisJoinPointStaticPart, ");

    @Test
    void eachTaggedAdviceIsItsUntaggedTwinButForTheSite() throws IOException {
        Map<String, String> untagged = new LinkedHashMap<>();
        Map<String, String> tagged = new LinkedHashMap<>();
        Matcher advice = AROUND.matcher(Files.readString(ADVICE));
        while (advice.find()) {
            String declaration = advice.group(1).replaceAll("\\s+", " ").trim();
            String body = advice.group(2) + "\n";
            if (declaration.contains("untaggedTimed()")) {
                untagged.put(declaration.replace("untaggedTimed()", "taggedTimed()"), body);
            } else if (declaration.contains("taggedTimed()")) {
                tagged.put(declaration, body);
            }
        }
        assertTrue(untagged.size() >= 11, "only " + untagged.size() + " untagged advice found: the scan is broken");
        assertEquals(untagged.keySet(), tagged.keySet(), "each untagged advice has a tagged twin, with the same pointcut");
        for (Map.Entry<String, String> twin : tagged.entrySet()) {
            String body = twin.getValue();
            assertTrue(body.contains(TAGGED_SITE), () -> "the tagged advice takes its site from the arguments: " + twin.getKey());
            String asUntagged = body.replace(TAGGED_SITE, "").replaceAll("\\bsite\\b", "thisJoinPointStaticPart");
            for (Map.Entry<String, String> deliberate : DELIBERATE.entrySet()) {
                asUntagged = asUntagged.replace(deliberate.getKey(), deliberate.getValue());
            }
            assertEquals(untagged.get(twin.getKey()), asUntagged, "the tagged twin differs beyond its site: " + twin.getKey());
        }
    }

    /** The lines a result-tagged advice has in place of its tagged twin's: its site is finished by the result. */
    private static final Map<String, String> RESULT_TAGGED = Map.of(
            "FunctionCalls.resultTagged(thisJoinPointStaticPart)", "FunctionCalls.tagged(thisJoinPointStaticPart)",
            "FunctionCalls.returnedWith(site, start, entered, result);", "FunctionCalls.returned(site, start, entered);");

    @Test
    void eachResultTaggedAdviceIsItsTaggedTwinButForTheSiteAndTheResult() throws IOException {
        Map<String, String> tagged = new LinkedHashMap<>();
        Map<String, String> resultTagged = new LinkedHashMap<>();
        Matcher advice = AROUND.matcher(Files.readString(ADVICE));
        while (advice.find()) {
            String declaration = advice.group(1).replaceAll("\\s+", " ").trim();
            if (declaration.contains("timedWithResultTag()")) {
                resultTagged.put(declaration, advice.group(2) + "\n");
            } else if (declaration.contains("taggedTimed()") && !declaration.contains("untaggedTimed()")) {
                tagged.put(declaration, advice.group(2) + "\n");
            }
        }
        assertEquals(5, resultTagged.size(), () -> "a result-tagged advice per kind of end: " + resultTagged.keySet());
        for (Map.Entry<String, String> advised : resultTagged.entrySet()) {
            String body = advised.getValue();
            // The synchronous one covers every return type the tagged advice has one of; its twin is the references'.
            String twin = body.contains("returnedWith") ? tagged.keySet().stream()
                    .filter(d -> d.startsWith("Object around(): taggedTimed() && !execution(void *(..))")).findFirst()
                    .orElseThrow() : advised.getKey().replace("timedWithResultTag()", "taggedTimed()");
            assertTrue(tagged.containsKey(twin), () -> "no tagged twin for " + advised.getKey());
            for (Map.Entry<String, String> line : RESULT_TAGGED.entrySet()) {
                body = body.replace(line.getKey(), line.getValue());
            }
            assertEquals(tagged.get(twin), body, "the result-tagged advice differs beyond its site: " + advised.getKey());
        }
    }

    @Test
    void eachPositionalArgumentAdviceBindsItsOwnPosition() throws IOException {
        List<String> found = new ArrayList<>();
        Matcher advice = BEFORE.matcher(Files.readString(ADVICE));
        while (advice.find()) {
            found.add(advice.group(1).replaceAll("\\s+", " ").trim() + " { " + advice.group(2).trim() + " }");
        }
        assertTrue(found.size() >= 10, "only " + found.size() + " positional advice found: the scan is broken");
        List<String> expected = new ArrayList<>();
        for (int position = 0; position < found.size(); position++) {
            String before = "*, ".repeat(position);
            expected.add("before(Object argument): argumentsTimed() && execution(* *(" + before + "@io.rawmetrics.Tag (*), ..))"
                    + " && args(" + before + "argument, ..) { TagArguments.bind(thisJoinPointStaticPart, " + position
                    + ", argument); }");
        }
        assertEquals(expected, found);
    }

    @Test
    void theHealthConfigurationsOfSpringBoot3And4DifferOnlyInTheirPackages() throws IOException {
        Path actuate = ROOT.resolve("rawmetrics-spring-boot-starter/src/main/java/io/rawmetrics/spring/boot/actuate");
        String boot3 = Files.readString(actuate.resolve("Boot3HealthAutoConfiguration.java"));
        String boot4 = Files.readString(actuate.resolve("Boot4HealthAutoConfiguration.java"));
        assertEquals(code(boot3, "Boot3"), code(boot4, "Boot4"));
    }

    /** The class below its javadoc and conditions, with its own name made neutral. */
    private static String code(String source, String name) {
        String afterHeader = source.substring(source.indexOf("public class " + name));
        return afterHeader.replace(name + "HealthAutoConfiguration", "HealthAutoConfiguration");
    }
}

package io.rawmetrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.FunctionCall;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimedFunctionTest {

    @Test
    void tagsAreSortedByKey() {
        TimedFunction f = new TimedFunction(null, "A.f", Map.of("b", "2", "a", "1", "c", "3"));
        assertEquals(List.of("a", "b", "c"), List.copyOf(f.tags().keySet()));
    }

    @Test
    void reservedTagKeyIsRejectedNamingTheFunction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TimedFunction(null, "A.f", Map.of("hostname", "x")));
        assertTrue(e.getMessage().contains("'hostname'") && e.getMessage().contains("A.f"), e.getMessage());
    }

    @Test
    void emptyTagValueIsRejectedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TimedFunction(null, "A.f", Map.of("team", "")));
        assertTrue(e.getMessage().contains("'team'"), e.getMessage());
    }

    @Test
    void measurementThatInfluxCannotReadIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TimedFunction("#comment", "A.f", Map.of()));
        assertTrue(e.getMessage().contains("#comment"), e.getMessage());
    }

    @FunctionCall(tags = "layer=service")
    @Retention(RetentionPolicy.RUNTIME) @Target({ElementType.METHOD, ElementType.TYPE})
    @interface ServiceCall { }

    @FunctionCall(tags = "layer=repository", measurement = "db-requests")
    @Retention(RetentionPolicy.RUNTIME) @Target({ElementType.METHOD, ElementType.TYPE})
    @interface RepositoryCall { }

    @ServiceCall
    @FunctionCall(tags = "team=checkout")
    @Retention(RetentionPolicy.RUNTIME) @Target({ElementType.METHOD, ElementType.TYPE})
    @interface CheckoutCall { }

    @CheckoutCall
    @Retention(RetentionPolicy.RUNTIME) @Target({ElementType.METHOD, ElementType.TYPE})
    @interface AuditedCheckout { }

    static class Shop {
        @ServiceCall void service() { }
        @AuditedCheckout void threeLevels() { }
        @ServiceCall @FunctionCall(tags = {"layer=web", "tier=1"}) void ownWins() { }
        @ServiceCall @RepositoryCall @FunctionCall(tags = "layer=mixed", measurement = "mixed") void decided() { }
        void plain() { }
    }

    private static TimedFunction described(String method) throws NoSuchMethodException {
        return TimedFunction.described("Shop." + method, Shop.class.getDeclaredMethod(method));
    }

    @Test
    void aComposedAnnotationDescribesWhatItMarksUpToThreeLevelsDeep() throws Exception {
        assertEquals(Map.of("layer", "service"), described("service").tags());
        assertEquals(Map.of("layer", "service", "team", "checkout"), described("threeLevels").tags());
        assertEquals(null, described("plain"));
    }

    @Test
    void thePlacesOwnFunctionCallWinsOverItsComposedAnnotations() throws Exception {
        assertEquals(Map.of("layer", "web", "tier", "1"), described("ownWins").tags());
        TimedFunction decided = described("decided");
        assertEquals(Map.of("layer", "mixed"), decided.tags());
        assertEquals("mixed", decided.measurement());
    }

    /** Two that disagree do not compile (FunctionCallProcessorTest); without the processor they are refused here, naming both. */
    @Test
    void twoComposedAnnotationsThatDisagreeNameBoth() {
        List<TimedFunction.Composed> composed = List.of(
                new TimedFunction.Composed("@ServiceCall", new TimedFunction(null, "Shop.f", Map.of("layer", "service"))),
                new TimedFunction.Composed("@RepositoryCall", new TimedFunction("db", "Shop.f", Map.of("layer", "repository"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimedFunction.merged("Shop.f", null, composed));
        assertTrue(e.getMessage().contains("@ServiceCall and @RepositoryCall set tag 'layer' to service and repository"),
                e.getMessage());
    }
}

package io.rawmetrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}

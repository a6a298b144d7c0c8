package io.rawmetrics.internal.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.rawmetrics.internal.PointNames;
import org.junit.jupiter.api.Test;

/** What line protocol cannot carry in a tag value, and the cut. */
class TagValueTextTest {

    @Test
    void writableTextIsItself() {
        String text = "a b,c=d \"e\" \\f Grüße 🚀";
        assertSame(text, TagValueText.writable(text));
        PointNames.checkName("value", text);
    }

    @Test
    void lineBreaksAndBackslashesInfluxDbCannotReadBackAreReplaced() {
        assertEquals("a\\nb\\rc", TagValueText.writable("a\nb\rc"));
        assertEquals("end/", TagValueText.writable("end\\"));
        assertEquals("a/,b a/=b a/ b", TagValueText.writable("a\\,b a\\=b a\\ b"));
        for (String hostile : new String[] {"x\\", "\n", "\\\n", "a\\,", "\r\\"}) {
            PointNames.checkName("value", TagValueText.writable(hostile)); // throws if InfluxDB could not read it back
        }
    }

    @Test
    void aCutKeepsSurrogatePairsWhole() {
        assertSame("abc", TagValueText.cut("abc", 3));
        assertEquals("ab", TagValueText.cut("abc", 2));
        assertEquals("a", TagValueText.cut("a🚀", 2));
        assertEquals("a🚀", TagValueText.cut("a🚀b", 3));
    }
}

package io.rawmetrics.internal.lineprotocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.internal.PointNames;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LineProtocolTest {

    @Test
    void measurementEscapesCommaAndSpaceButNotEquals() {
        assertEquals("raw\\ requests\\,a=b", LineProtocol.appendMeasurement(new StringBuilder(), "raw requests,a=b").toString());
    }

    @Test
    void namesEscapeCommaEqualsAndSpace() {
        assertEquals("a\\,b\\=c\\ d", LineProtocol.appendName(new StringBuilder(), "a,b=c d").toString());
    }

    @Test
    void namesKeepBackslashQuotesAndUnicodeLiterally() {
        assertEquals("C:\\dir \"q\" ✓é", LineProtocol.appendName(new StringBuilder(), "C:\\dir \"q\" ✓é")
                .toString().replace("\\ ", " "));
    }

    @Test
    void stringValuesEscapeQuoteAndBackslashAndKeepNewlines() {
        assertEquals("\"say \\\"hi\\\"\\\\\nbye\"", LineProtocol.appendStringValue(new StringBuilder(), "say \"hi\"\\\nbye").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\nb", "a\rb", "ends\\", "a\\,b", "a\\=b", "a\\ b"})
    void namesThatInfluxCannotReadBackAreRejectedWithTheValueInTheMessage(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PointNames.checkName("tag value", bad));
        assertTrue(e.getMessage().startsWith("tag value"), e.getMessage());
    }

    @Test
    void measurementStartingWithHashIsRejectedBecauseInfluxReadsACommentLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PointNames.checkMeasurement("measurement", "#requests"));
        assertTrue(e.getMessage().contains("\"#requests\""), e.getMessage());
    }

    @Test
    void backslashInsideANameIsAccepted() {
        PointNames.checkName("tag value", "C:\\Program Files\\x");
        PointNames.checkMeasurement("measurement", "a\\b");
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0.000000000",
            "1, 0.000000001",
            "12345, 0.000012345",
            "10, 0.000000010",
            "99999999, 0.099999999",
            "100000000, 0.100000000",
            "100000001, 0.100000001",
            "500000000, 0.500000000",
            "1000000000, 1.000000000",
            "1050000000, 1.050000000",
            "123456789012, 123.456789012",
            "-5, -0.000000005",
            "-100000000, -0.100000000",
    })
    void secondsAreExactDecimalsOfNanosecondsWithNinePlaces(long nanos, String expected) {
        assertEquals(expected, seconds(nanos));
    }

    /**
     * Every count of trailing zeros, 0 to 8, with one digit or many before them: kept, as BigDecimal
     * writes the value with nine places (a point's length does not depend on its digits).
     */
    @Test
    void secondsKeepTheirTrailingZerosWhereverTheLastNonZeroDigitIs() {
        for (long whole : new long[] {0, 3, 42}) {
            for (long unit = 1; unit < 1_000_000_000L; unit *= 10) {
                for (long fraction : new long[] {unit, 9 * unit, 987_654_321 / unit * unit, 100_000_001 / unit * unit}) {
                    long nanos = whole * 1_000_000_000L + fraction;
                    assertEquals(java.math.BigDecimal.valueOf(nanos, 9).toPlainString(), seconds(nanos), "nanos " + nanos);
                }
            }
        }
    }

    /** Durations under 0.1 s take a path of their own (eight digits in one word): a spread of them, as BigDecimal writes them. */
    @Test
    void secondsUnderATenthOfASecondAreWrittenAsBigDecimalWritesThem() {
        for (long nanos = 0; nanos < 100_000_000L; nanos += 997) {
            assertEquals(java.math.BigDecimal.valueOf(nanos, 9).toPlainString(), seconds(nanos), "nanos " + nanos);
        }
    }

    @Test
    void secondsParseBackToTheNearestDouble() {
        for (long nanos = 1; nanos < 10_000_000_000L; nanos = nanos * 7 + 3) {
            String text = seconds(nanos);
            assertEquals(nanos / 1e9, Double.parseDouble(text), 0.0, text);
        }
    }

    @Test
    void secondsOfTheLongestDurationFitTheDocumentedLength() {
        assertEquals("9223372036.854775807", seconds(Long.MAX_VALUE));
        assertEquals(LineProtocol.MAX_SECONDS_LENGTH, seconds(-Long.MAX_VALUE).length());
        assertEquals("-9223372036.854775807", seconds(Long.MIN_VALUE));
    }

    @ParameterizedTest
    @CsvSource({"0, 000000000", "7, 000000007", "10, 000000010", "123456789, 123456789", "999999999, 999999999",
            "100000000, 100000000"})
    void nineDigitsKeepTheirLeadingZeros(int value, String expected) {
        byte[] out = new byte[9];
        LineProtocol.writeNineDigits(out, 0, value);
        assertEquals(expected, new String(out, StandardCharsets.US_ASCII));
    }

    @Test
    void eightDigitsAreRightForEveryValue() {
        byte[] expected = new byte[8];
        byte[] actual = new byte[8];
        for (int value = 0; value < 100_000_000; value++) {
            long word = LineProtocol.eightDigits(value);
            int rest = value;
            for (int i = 7; i >= 0; i--) {
                expected[i] = (byte) ('0' + rest % 10);
                rest /= 10;
                actual[i] = (byte) (word >>> (8 * i));
            }
            if (!Arrays.equals(expected, actual)) {
                assertEquals(new String(expected, StandardCharsets.US_ASCII), new String(actual, StandardCharsets.US_ASCII),
                        "eight digits of " + value);
            }
        }
    }

    private static String seconds(long nanos) {
        byte[] out = new byte[LineProtocol.MAX_SECONDS_LENGTH];
        return new String(out, 0, LineProtocol.writeSeconds(out, 0, nanos), StandardCharsets.US_ASCII);
    }
}

package io.rawmetrics.internal.lineprotocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * InfluxDB 1.x line protocol: escaping and number formatting (the names it can carry are checked by
 * {@link io.rawmetrics.internal.PointNames}).
 *
 * <p>The rules were checked against a real {@code influxd} 1.6, not only the documentation:
 * <ul>
 *   <li>measurement: {@code ,} and space are escaped with a backslash; {@code =} is literal;
 *       a name starting with {@code #} would make the whole line a comment, so it is rejected;</li>
 *   <li>tag keys, tag values and field keys: {@code ,}, {@code =} and space are escaped;</li>
 *   <li>a backslash is kept literally in all of the above, because the server never unescapes
 *       {@code \\}. Therefore a backslash at the end of a name or in front of {@code ,},
 *       {@code =} or space cannot be written so that it reads back unchanged: rejected;</li>
 *   <li>newline and carriage return cannot appear in names or tag values: rejected; empty names
 *       and tag values are invalid in line protocol: rejected;</li>
 *   <li>string field values are quoted; {@code "} and {@code \} are escaped, newlines are fine.</li>
 * </ul>
 * Everything is validated where the string first enters the library (configuration, annotation
 * attributes), so a point is never rejected by the server for its names.
 *
 * <p>Escapers are character switches appending to a caller's {@link StringBuilder}: no regex,
 * no intermediate strings.
 */
public final class LineProtocol {

    private LineProtocol() {
    }

    private static boolean isEscapable(char c) {
        return c == ',' || c == '=' || c == ' ';
    }

    /** Appends a measurement name, already {@linkplain io.rawmetrics.internal.PointNames#checkMeasurement checked}. */
    public static StringBuilder appendMeasurement(StringBuilder out, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ',' || c == ' ') {
                out.append('\\');
            }
            out.append(c);
        }
        return out;
    }

    /** Appends a tag key, tag value or field key, already {@linkplain io.rawmetrics.internal.PointNames#checkName checked}. */
    public static StringBuilder appendName(StringBuilder out, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (isEscapable(c)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out;
    }

    /** Appends a quoted string field value; any string is allowed. */
    public static StringBuilder appendStringValue(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"');
    }

    /** The most bytes {@link #writeSeconds} writes: a sign, 10 digits, a point and 9 digits. */
    static final int MAX_SECONDS_LENGTH = 21;

    /** Eight ASCII '0's. */
    private static final long ZEROS = 0x3030_3030_3030_3030L;

    /** Stores 8 bytes at once into a byte[], in the order the digits are read. */
    private static final VarHandle LONG_LITTLE_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    /**
     * Writes {@code nanos / 1e9} as an exact decimal with nine places, nanoseconds
     * ({@code 12340 -> 0.000012340}), into {@code out} at {@code pos} and returns the position after
     * it. InfluxDB parses it as the nearest float, and the writer avoids {@code Double.toString}'s
     * garbage and its {@code 1.234E-5} form. Always nine places, trailing zeros included: a point's
     * length then does not depend on its digits, which makes the encoder's loop faster
     * (docs/performance.md, the figures behind the code's choices).
     * Divisions are by constants only (the JIT makes them multiplications).
     */
    static int writeSeconds(byte[] out, int pos, long nanos) {
        if (Long.compareUnsigned(nanos, 100_000_000L) < 0) { // 0 to 0.1 s, as most calls: "0.0" and eight digits
            out[pos] = '0';
            out[pos + 1] = '.';
            out[pos + 2] = '0';
            putEightDigits(out, pos + 3, eightDigits((int) nanos));
            return pos + 11;
        }
        if (nanos < 0) {
            out[pos++] = '-';
            // A negative duration can only come from a broken clock; keep it visible (and in range).
            nanos = nanos == Long.MIN_VALUE ? Long.MAX_VALUE : -nanos;
        }
        long whole = nanos / 1_000_000_000L;
        int fraction = (int) (nanos - whole * 1_000_000_000L);
        if (whole < 10) { // nearly every call takes less than 10 s
            out[pos++] = (byte) ('0' + whole);
        } else {
            pos = writeDigits(out, pos, whole);
        }
        out[pos] = '.';
        writeNineDigits(out, pos + 1, fraction);
        return pos + 10;
    }

    /** Writes {@code value} (0 or more) in decimal at {@code pos}; returns the position after it. */
    static int writeDigits(byte[] out, int pos, long value) {
        int length = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            length++;
        }
        for (int i = pos + length - 1; i >= pos; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return pos + length;
    }

    /** Writes {@code value} (0 to 999,999,999) at {@code pos} as exactly nine digits, leading zeros included. */
    static void writeNineDigits(byte[] out, int pos, int value) {
        int first = value / 100_000_000;
        out[pos] = (byte) ('0' + first);
        putEightDigits(out, pos + 1, eightDigits(value - first * 100_000_000));
    }

    /** Stores the eight digits of an {@link #eightDigits} word at {@code pos}, in one store. */
    static void putEightDigits(byte[] out, int pos, long digits) {
        LONG_LITTLE_ENDIAN.set(out, pos, digits);
    }

    /**
     * The eight decimal digits of {@code value} (0 to 99,999,999) as ASCII, the first digit in the
     * lowest byte (so a little-endian store writes them in reading order). All eight are worked out
     * at once in the lanes of one long (SWAR, after Paul Khuong): split into two halves of four
     * digits, each half into two pairs, each pair into two digits, with multiplications by
     * reciprocals instead of divisions. The writer formats two such numbers per point; digit by
     * digit they were its largest cost. {@code LineProtocolTest} checks every value.
     */
    static long eightDigits(int value) {
        long high = value / 10_000;
        long merged = high | ((value - high * 10_000) << 32);              // 2 lanes of 32 bits: 0..9999
        long hundreds = ((merged * 10_486L) >>> 20) & 0x0000_007F_0000_007FL; // lane / 100
        long pairs = ((merged - 100L * hundreds) << 16) + hundreds;           // 4 lanes of 16 bits: 0..99
        long tens = ((pairs * 103L) >>> 10) & 0x000F_000F_000F_000FL;         // lane / 10
        long digits = tens + ((pairs - 10L * tens) << 8);                     // 8 lanes of 8 bits: 0..9
        return digits + ZEROS;                                                // + '0' in every byte
    }
}

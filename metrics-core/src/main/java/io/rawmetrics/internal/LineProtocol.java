package io.rawmetrics.internal;

/**
 * InfluxDB 1.x line protocol: escaping, validation and number formatting.
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

    /** Throws {@link IllegalArgumentException} naming {@code what} if {@code name} can't be a measurement. */
    public static void checkMeasurement(String what, String name) {
        checkName(what, name);
        if (name.charAt(0) == '#') {
            throw new IllegalArgumentException(what + " " + quote(name)
                    + " starts with '#', which makes InfluxDB read the line as a comment");
        }
    }

    /** Throws {@link IllegalArgumentException} naming {@code what} if {@code name} can't be a tag key, tag value or field key. */
    public static void checkName(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException(what + " " + quote(name)
                        + " contains a line break, which InfluxDB line protocol cannot carry");
            }
            if (c == '\\' && (i == name.length() - 1 || isEscapable(name.charAt(i + 1)))) {
                throw new IllegalArgumentException(what + " " + quote(name)
                        + " has a backslash at its end or before ',', '=' or ' ', which InfluxDB 1.x"
                        + " cannot read back unchanged");
            }
        }
    }

    private static boolean isEscapable(char c) {
        return c == ',' || c == '=' || c == ' ';
    }

    /** Appends a measurement name, already {@linkplain #checkMeasurement checked}. */
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

    /** Appends a tag key, tag value or field key, already {@linkplain #checkName checked}. */
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

    /**
     * Appends {@code nanos / 1e9} as an exact decimal ({@code 12345 -> 0.000012345}): InfluxDB parses
     * it as the nearest float, and the writer avoids {@code Double.toString}'s garbage and its
     * {@code 1.2345E-5} form. Divisions are by constants only (the JIT makes them multiplications).
     */
    public static StringBuilder appendSeconds(StringBuilder out, long nanos) {
        if (nanos < 0) {
            out.append('-');
            nanos = -nanos; // a negative duration can only come from a broken clock; keep it visible
        }
        long whole = nanos / 1_000_000_000L;
        int fraction = (int) (nanos - whole * 1_000_000_000L);
        out.append(whole);
        if (fraction != 0) {
            appendNineDigits(out.append('.'), fraction);
            int end = out.length();
            while (out.charAt(end - 1) == '0') {
                end--; // stops at the last non-zero digit: fraction is not 0
            }
            out.setLength(end);
        }
        return out;
    }

    /** Appends {@code value} (0 to 999,999,999) as exactly nine digits, leading zeros included. */
    static StringBuilder appendNineDigits(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 100_000_000))
                .append((char) ('0' + value / 10_000_000 % 10))
                .append((char) ('0' + value / 1_000_000 % 10))
                .append((char) ('0' + value / 100_000 % 10))
                .append((char) ('0' + value / 10_000 % 10))
                .append((char) ('0' + value / 1_000 % 10))
                .append((char) ('0' + value / 100 % 10))
                .append((char) ('0' + value / 10 % 10))
                .append((char) ('0' + value % 10));
    }

    /** {@code value} in double quotes with line breaks shown as {@code \n}, for error messages. */
    static String quote(String value) {
        return '"' + value.replace("\n", "\\n").replace("\r", "\\r") + '"';
    }
}

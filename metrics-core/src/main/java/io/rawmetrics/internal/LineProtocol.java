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
     * it as the nearest float, and the drainer avoids {@code Double.toString}'s garbage and its
     * {@code 1.2345E-5} form.
     */
    public static StringBuilder appendSeconds(StringBuilder out, long nanos) {
        if (nanos < 0) {
            out.append('-');
            nanos = -nanos; // a negative duration can only come from a broken clock; keep it visible
        }
        out.append(nanos / 1_000_000_000L);
        long fraction = nanos % 1_000_000_000L;
        if (fraction != 0) {
            out.append('.');
            int digits = 9;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            for (long p = pow10(digits - 1); p > fraction; p /= 10) {
                out.append('0');
            }
            out.append(fraction);
        }
        return out;
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    /** {@code value} in double quotes with line breaks shown as {@code \n}, for error messages. */
    static String quote(String value) {
        return '"' + value.replace("\n", "\\n").replace("\r", "\\r") + '"';
    }
}

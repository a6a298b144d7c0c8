package io.rawmetrics.internal;

/**
 * The names a point can carry: its measurement, tag keys, tag values and field keys. Each is
 * checked where it first enters the library (configuration, annotation attributes, a tag value
 * made readable), so that a point is never refused by the server for its names. The rules are
 * InfluxDB 1.x line protocol's, checked against a real {@code influxd} 1.6 (see
 * {@link io.rawmetrics.internal.lineprotocol.LineProtocol}, which escapes what passes them).
 */
public final class PointNames {

    private PointNames() {
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

    /** {@code value} in double quotes with line breaks shown as {@code \n}, for error messages. */
    private static String quote(String value) {
        return '"' + value.replace("\n", "\\n").replace("\r", "\\r") + '"';
    }
}

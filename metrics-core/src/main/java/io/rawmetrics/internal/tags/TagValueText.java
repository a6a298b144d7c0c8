package io.rawmetrics.internal.tags;

/**
 * What a tag value from an argument is written as: the text cut to the configured length, and
 * the few characters InfluxDB 1.x line protocol cannot carry in a tag value replaced. Spaces,
 * commas, {@code =}, quotes and any Unicode are written escaped and read back unchanged.
 *
 * <ul>
 *   <li>a line feed is written as the two characters {@code \n}, a carriage return as {@code \r}
 *       (line protocol ends a point at a line break);</li>
 *   <li>a backslash at the end of the value, or just before {@code ,}, {@code =} or a space, is
 *       written as {@code /}: InfluxDB 1.x reads such a backslash as escaping what follows it, and
 *       has no way to write it that reads back unchanged.</li>
 * </ul>
 * The cut comes first, on the argument's text, and never splits a surrogate pair.
 */
final class TagValueText {

    private TagValueText() {
    }

    /** {@code text} cut to at most {@code maxLength} characters, keeping surrogate pairs whole. */
    static String cut(String text, int maxLength) {
        if (text.length() <= maxLength) {
            return text;
        }
        int end = maxLength;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** {@code text} with what line protocol cannot carry replaced; {@code text} itself if nothing is. */
    static String writable(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || (c == '\\' && (i == length - 1 || isEscapable(text.charAt(i + 1))))) {
                return replace(text);
            }
        }
        return text;
    }

    private static String replace(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\\' && (i == length - 1 || isEscapable(text.charAt(i + 1)))) {
                out.append('/');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isEscapable(char c) {
        return c == ',' || c == '=' || c == ' ';
    }
}

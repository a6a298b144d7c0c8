package io.rawmetrics.internal.delivery;

import io.rawmetrics.internal.delivery.LineSender.Failure;
import io.rawmetrics.internal.delivery.LineSender.WriteException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What InfluxDB's answers to a write mean: the status, the error text, a partial write's count, a missing database. */
final class InfluxDbAnswers {

    private InfluxDbAnswers() {
    }

    /** What an HTTP status of a failed write means for the batch. */
    static Failure failureOf(int status) {
        return switch (status) {
            case 400 -> Failure.BAD_POINTS;
            case 413 -> Failure.TOO_LARGE;
            case 408, 429 -> Failure.UNAVAILABLE;
            default -> status >= 500 ? Failure.UNAVAILABLE : Failure.REFUSED;
        };
    }

    private static final Pattern ERROR_FIELD = Pattern.compile("\\{\\s*\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * The text of InfluxDB's {@code {"error":"..."}} answer, unescaped; any other body as it is,
     * trimmed (a proxy's HTML page, say).
     */
    static String errorText(String body) {
        Matcher m = ERROR_FIELD.matcher(body);
        if (!m.find()) {
            return body.strip();
        }
        String escaped = m.group(1);
        StringBuilder text = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c != '\\' || i + 1 == escaped.length()) {
                text.append(c);
                continue;
            }
            char next = escaped.charAt(++i);
            switch (next) {
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case 'r' -> text.append('\r');
                case 'u' -> {
                    if (i + 4 < escaped.length()) {
                        text.append((char) Integer.parseInt(escaped.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                }
                default -> text.append(next); // \" \\ \/
            }
        }
        return text.toString();
    }

    private static final Pattern PARTIAL_WRITE = Pattern.compile("partial write:.*dropped=(\\d+)", Pattern.DOTALL);
    private static final String UNPARSABLE = "unable to parse '";

    /**
     * How many points a "partial write" refused, after which InfluxDB 1.x has stored the others;
     * {@link WriteException#UNKNOWN} for any other failure. InfluxDB 1.6 counts points it
     * refused for a field type conflict or the retention policy in {@code dropped=N}, and reports
     * each line it could not parse separately, with {@code dropped=0}: both are added up. (The
     * writer's own lines always parse: their names are validated where they enter.)
     */
    static int rejectedPoints(String message) {
        Matcher m = message == null ? null : PARTIAL_WRITE.matcher(message);
        if (m == null || !m.find()) {
            return WriteException.UNKNOWN;
        }
        int unparsable = 0;
        for (int i = message.indexOf(UNPARSABLE); i >= 0; i = message.indexOf(UNPARSABLE, i + 1)) {
            unparsable++;
        }
        return Integer.parseInt(m.group(1)) + unparsable;
    }

    /** Whether the server's answer says the database does not exist. */
    static boolean isDatabaseNotFound(WriteException e) {
        return e.getMessage() != null && e.getMessage().contains("database not found");
    }
}

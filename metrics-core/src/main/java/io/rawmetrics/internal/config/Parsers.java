package io.rawmetrics.internal.config;

import io.rawmetrics.InvalidConfigurationException;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.RawMetricsConfig.Mode;
import io.rawmetrics.RawMetricsConfig.WriteApi;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text forms of configuration values, as read from system properties, the environment or
 * {@code RawMetricsConfig.Builder.set}: each parser takes the key (for the error) and the text as
 * given, and throws an {@link InvalidConfigurationException} naming both when it cannot be read.
 */
public final class Parsers {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ns|us|ms|s|m|h)");
    private static final Pattern BYTES = Pattern.compile("(\\d[\\d_]*)\\s*(KiB|MiB|GiB)?");

    private Parsers() {
    }

    /** Text, surrounding blanks removed. */
    public static String text(String key, String text) {
        return text.strip();
    }

    /** Text, surrounding blanks removed; empty means none ({@code null}). */
    public static String optionalText(String key, String text) {
        String value = text.strip();
        return value.isEmpty() ? null : value;
    }

    /** A password, verbatim: it may begin or end with a space. */
    public static String verbatim(String key, String text) {
        return text;
    }

    /** A secret, verbatim (it may end in a space); empty means none. */
    public static String secret(String key, String text) {
        return text.strip().isEmpty() ? null : text;
    }

    /** A path; empty means none. */
    public static Path optionalPath(String key, String text) {
        String value = text.strip();
        return value.isEmpty() ? null : Path.of(value);
    }

    /** An {@code http} or {@code https} URL with a host and no credentials. */
    public static URI url(String key, String text) {
        String value = text.strip();
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException(key, "'" + value + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new InvalidConfigurationException(key, "'" + value
                    + "' must be an http or https URL with a host, like http://localhost:8086");
        }
        if (uri.getUserInfo() != null) {
            throw new InvalidConfigurationException(key, "must not carry credentials; use "
                    + RawMetricsConfig.USERNAME + " and " + RawMetricsConfig.PASSWORD);
        }
        return uri;
    }

    /** {@code true} or {@code false}, in any case. */
    public static Boolean bool(String key, String text) {
        String value = text.strip();
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidConfigurationException(key, "'" + value + "' must be true or false");
        };
    }

    /** A whole number; {@code _} may group digits ({@code 100_000}). */
    public static Integer integer(String key, String text) {
        String value = text.strip();
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(key, "'" + value + "' is not a whole number");
        }
    }

    /** A size in bytes: a whole number, or one with a unit, {@code KiB}, {@code MiB} or {@code GiB} ({@code 512MiB}). */
    public static Long bytes(String key, String text) {
        String value = text.strip();
        Matcher m = BYTES.matcher(value);
        if (!m.matches()) {
            throw new InvalidConfigurationException(key, "'" + value + "' is not a size; write it like 1073741824, 512MiB or 1GiB");
        }
        long shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            default -> 30;
        };
        try {
            long amount = Long.parseLong(m.group(1).replace("_", ""));
            if (amount > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return amount << shift;
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(key, "'" + value + "' is too large a size");
        }
    }

    /** {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h} (also ns, us), or ISO-8601 such as {@code PT1.5S}. */
    public static Duration duration(String key, String text) {
        String value = text.strip();
        Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            try {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ns" -> Duration.ofNanos(amount);
                    case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            } catch (ArithmeticException | NumberFormatException tooLarge) {
                throw new InvalidConfigurationException(key, "'" + value + "' is too long a duration");
            }
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidConfigurationException(key, "'" + value
                    + "' is not a duration; write it like 500ms, 1s, 2m or PT1.5S");
        }
    }

    /** {@code v1} or {@code v2}. */
    public static WriteApi api(String key, String text) {
        String value = text.strip();
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "v1" -> WriteApi.V1;
            case "v2" -> WriteApi.V2;
            default -> throw new InvalidConfigurationException(key, "'" + value + "' must be v1 or v2");
        };
    }

    /** {@code raw}, {@code aggregated} or {@code both}. */
    public static Mode mode(String key, String text) {
        return mode(key, text.strip(), text.strip());
    }

    private static Mode mode(String key, String value, String context) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "raw" -> Mode.RAW;
            case "aggregated" -> Mode.AGGREGATED;
            case "both" -> Mode.BOTH;
            default -> throw new InvalidConfigurationException(key, "'" + context
                    + "': the mode must be raw, aggregated or both");
        };
    }

    /** {@code a.B.c=aggregated, a.b.*=both}: functions, or prefixes ending in {@code *}, to modes. */
    public static Map<String, Mode> functionModes(String key, String text) {
        Map<String, Mode> modes = new TreeMap<>();
        String value = text.strip();
        if (value.isEmpty()) {
            return modes;
        }
        for (String pair : value.split(",")) {
            String entry = pair.strip();
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new InvalidConfigurationException(key, "'" + entry
                        + "' must be written function=mode, like com.example.Cache.get=aggregated");
            }
            String function = entry.substring(0, eq).strip();
            checkFunctionPattern(key, function);
            Mode mode = mode(key, entry.substring(eq + 1).strip(), entry);
            if (modes.put(function, mode) != null) {
                throw new InvalidConfigurationException(key, "'" + function + "' is given twice");
            }
        }
        return modes;
    }

    /** A function name, or a prefix ending in {@code *}: no blank, at most one {@code *}, last. */
    public static void checkFunctionPattern(String key, String function) {
        if (function == null || function.isBlank() || function.indexOf('*') >= 0 && function.indexOf('*') != function.length() - 1
                || function.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidConfigurationException(key, "'" + function
                    + "' must be a function (com.example.Shop.checkout) or a prefix ending in * (com.example.*)");
        }
    }
}

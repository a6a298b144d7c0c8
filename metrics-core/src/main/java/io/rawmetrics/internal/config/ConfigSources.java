package io.rawmetrics.internal.config;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.LibraryLog;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Where configuration values come from, apart from the table of keys ({@link RawMetricsConfig}):
 * system properties under {@code rawmetrics.} and environment variables under {@code RAWMETRICS_},
 * a property winning over the variable of the same key. A name under those prefixes that is no
 * key is a warning naming the closest key, and is ignored: such names are also used for other
 * things (a build's {@code -Drawmetrics.version=...}), and a typo must not stop an application
 * from recording. Not an API.
 */
public final class ConfigSources {

    private static final String PREFIX = "rawmetrics.";
    private static final String ENV_PREFIX = "RAWMETRICS_";
    private static final System.Logger LOG = LibraryLog.LOG;
    /** Warnings already logged: configuration is read more than once in some applications. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private ConfigSources() {
    }

    /**
     * {@code defaults} overridden by what {@code systemProperties} and {@code environment} set,
     * each unknown name handed to {@code warnings}.
     *
     * @throws io.rawmetrics.InvalidConfigurationException naming every bad key
     */
    public static RawMetricsConfig read(Map<String, String> systemProperties, Map<String, String> environment,
            RawMetricsConfig defaults, Consumer<String> warnings) {
        List<String> variables = RawMetricsConfig.KEYS.stream().map(RawMetricsConfig::environmentVariable).toList();
        Map<String, String> values = new TreeMap<>();
        new TreeMap<>(environment).forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                int key = variables.indexOf(name);
                if (key >= 0) {
                    values.put(RawMetricsConfig.KEYS.get(key), value);
                } else {
                    warnings.accept(unknown("environment variable", name, variables));
                }
            }
        });
        new TreeMap<>(systemProperties).forEach((name, value) -> {
            if (name.startsWith(PREFIX)) {
                if (RawMetricsConfig.KEYS.contains(name)) {
                    values.put(name, value); // a system property wins over the environment
                } else {
                    warnings.accept(unknown("system property", name, RawMetricsConfig.KEYS));
                }
            }
        });
        return defaults.toBuilder().setAll(values).build();
    }

    /** Logs {@code warning} the first time it is given. */
    public static void warnOnce(String warning) {
        if (WARNED.add(warning)) {
            LOG.log(System.Logger.Level.WARNING, warning);
        }
    }

    /** The warning for {@code name}, a {@code what} that is no setting: "ignoring the system property ...; did you mean ...?". */
    public static String unknown(String what, String name, List<String> known) {
        return "rawmetrics: ignoring the " + what + " " + name + ": no such setting; did you mean "
                + closest(name, known) + "? (the settings are listed in docs/configuration.md)";
    }

    /** Of {@code candidates}, the one fewest single-character edits away from {@code name}. */
    public static String closest(String name, List<String> candidates) {
        String best = candidates.get(0);
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(name, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance, with two rows. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

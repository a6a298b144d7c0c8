package io.rawmetrics.spi;

import io.rawmetrics.internal.config.ConfigSources;
import io.rawmetrics.internal.config.Option;
import io.rawmetrics.internal.config.Options;
import java.util.List;

/**
 * The configuration keys, read-only: for an integration that reads them from its own
 * configuration system (Spring's {@code Environment}) and hands the texts to {@link
 * io.rawmetrics.RawMetricsConfig.Builder#setAll}, which checks them as without it.
 */
public final class Settings {

    /**
     * One key.
     *
     * @param key                 such as {@code rawmetrics.batch-size}
     * @param environmentVariable such as {@code RAWMETRICS_BATCH_SIZE}
     * @param list                whether its value is a comma-separated list (a YAML list is the same pairs)
     * @param secret              whether its value is never shown (a password, a token)
     * @param description         one line, as docs/configuration.md gives it
     */
    public record Setting(String key, String environmentVariable, boolean list, boolean secret, String description) {
    }

    private static final List<Setting> ALL = Options.ALL.stream().map(Settings::setting).toList();
    private static final List<String> KEYS = ALL.stream().map(Setting::key).toList();
    private static final List<String> VARIABLES = ALL.stream().map(Setting::environmentVariable).toList();

    private Settings() {
    }

    private static Setting setting(Option<?> option) {
        return new Setting(option.key(), option.environmentVariable(), option == Options.FUNCTION_MODES,
                option.secret(), option.description());
    }

    /** Every key, in the order of docs/configuration.md. */
    public static List<Setting> all() {
        return ALL;
    }

    /** The key closest to {@code name} (a misspelt key), or the environment variable closest to it if it is one. */
    public static String closest(String name) {
        return ConfigSources.closest(name, name.startsWith("RAWMETRICS_") ? VARIABLES : KEYS);
    }

    /**
     * The library's warning for a setting that does not exist, naming the closest: "{@code
     * rawmetrics: ignoring the <what> <name>: no such setting; did you mean ...}".
     *
     * @param what where it was found, such as {@code environment variable}
     */
    public static String unknown(String what, String name) {
        return ConfigSources.unknown(what, name, name.startsWith("RAWMETRICS_") ? VARIABLES : KEYS);
    }
}

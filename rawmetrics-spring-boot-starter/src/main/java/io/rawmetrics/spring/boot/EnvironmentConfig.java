package io.rawmetrics.spring.boot;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.spi.Settings;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The library's configuration from Spring's {@link Environment}: application.properties or
 * .yml, profiles, environment variables, system properties and command-line arguments, as Spring
 * ranks them, with its relaxed binding ({@code rawmetrics.influxdb.createDatabase} and
 * {@code RAWMETRICS_INFLUXDB_CREATE_DATABASE} are {@code rawmetrics.influxdb.create-database}).
 * The keys, defaults and checks are the library's own ({@link Settings}), as without Spring.
 */
final class EnvironmentConfig {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("rawmetrics");
    private static final List<ConfigurationPropertyName> KNOWN =
            Settings.all().stream().map(setting -> ConfigurationPropertyName.of(setting.key())).toList();
    private static final List<String> VARIABLES = Settings.all().stream().map(Settings.Setting::environmentVariable).toList();
    /** The variables of list settings: RAWMETRICS_FUNCTION_MODES_0_ is an element of one. */
    private static final List<String> LIST_VARIABLES =
            Settings.all().stream().filter(Settings.Setting::list).map(Settings.Setting::environmentVariable).toList();
    private static final String VARIABLE_PREFIX = "RAWMETRICS_";

    private EnvironmentConfig() {
    }

    /**
     * The configuration {@code environment} gives; every {@code rawmetrics.*} property that is no
     * setting is handed to {@code warnings}, naming the closest key.
     *
     * @throws io.rawmetrics.InvalidConfigurationException naming every bad key and value
     */
    static RawMetricsConfig read(Environment environment, Consumer<String> warnings) {
        Binder binder = Binder.get(environment);
        Map<String, String> texts = new LinkedHashMap<>();
        for (Settings.Setting setting : Settings.all()) {
            String key = setting.key();
            if (setting.list()) {
                // A list in YAML, or the library's comma-separated text: the same pairs.
                binder.bind(key, Bindable.listOf(String.class)).ifBound(pairs -> texts.put(key, String.join(",", pairs)));
            } else {
                binder.bind(key, Bindable.of(String.class)).ifBound(text -> texts.put(key, text));
            }
        }
        if (environment instanceof ConfigurableEnvironment configurable) {
            warnAboutUnknownKeys(configurable, warnings);
        }
        // Stopped with the application context (RecorderLifecycle), after the web server's
        // graceful shutdown: a JVM shutdown hook runs at the same time as Spring's, too early.
        return RawMetricsConfig.defaults().toBuilder().setAll(texts).shutdownHook(false).build();
    }

    private static void warnAboutUnknownKeys(ConfigurableEnvironment environment, Consumer<String> warnings) {
        Set<String> said = new LinkedHashSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource variables) {
                // Judged by the variables' own names: Spring reads RAWMETRICS_BATCH_SIZE back as
                // rawmetrics.batch.size, which is not rawmetrics.batch-size.
                for (String variable : variables.getPropertyNames()) {
                    String warning = unknownVariable(variable);
                    if (warning != null && said.add(warning)) {
                        warnings.accept(warning);
                    }
                }
            } else if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().filter(ROOT::isAncestorOf).filter(name -> !known(name)).forEach(name -> {
                    String warning = "rawmetrics: ignoring " + name + " (from " + origin(source, name)
                            + "): no such setting; did you mean " + Settings.closest(name.toString())
                            + "? (the settings are listed in docs/configuration.md)";
                    if (said.add(warning)) {
                        warnings.accept(warning);
                    }
                });
            }
        }
    }

    /** What to say of an environment variable named {@code RAWMETRICS_...} that is no setting, else {@code null}. */
    private static String unknownVariable(String variable) {
        if (!variable.startsWith(VARIABLE_PREFIX) || VARIABLES.contains(variable)
                || LIST_VARIABLES.stream().anyMatch(list -> variable.startsWith(list + "_"))) {
            return null;
        }
        return Settings.unknown("environment variable", variable); // as without Spring
    }

    private static boolean known(ConfigurationPropertyName name) {
        for (ConfigurationPropertyName key : KNOWN) {
            if (key.equals(name) || key.isAncestorOf(name)) { // function-modes[0] is a list's element
                return true;
            }
        }
        return false;
    }

    /** Where {@code name} was set: a file and line if Spring knows them, else the property source's name. */
    private static String origin(ConfigurationPropertySource source, ConfigurationPropertyName name) {
        ConfigurationProperty property = source.getConfigurationProperty(name);
        if (property != null && property.getOrigin() instanceof TextResourceOrigin text) {
            return text.toString();
        }
        Object underlying = source.getUnderlyingSource();
        return underlying instanceof PropertySource<?> propertySource ? propertySource.getName() : String.valueOf(underlying);
    }
}

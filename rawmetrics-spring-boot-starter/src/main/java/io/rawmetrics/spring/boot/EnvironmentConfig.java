package io.rawmetrics.spring.boot;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.config.ConfigSources;
import io.rawmetrics.internal.config.Option;
import io.rawmetrics.internal.config.Options;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * The library's configuration from Spring's {@link Environment}: application.properties or
 * .yml, profiles, environment variables, system properties and command-line arguments, as Spring
 * ranks them, with its relaxed binding ({@code rawmetrics.influxdb.createDatabase} and
 * {@code RAWMETRICS_INFLUXDB_CREATE_DATABASE} are {@code rawmetrics.influxdb.create-database}).
 * The keys, defaults and checks are the library's own table ({@link Options}), as without Spring.
 */
final class EnvironmentConfig {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("rawmetrics");
    private static final List<ConfigurationPropertyName> KNOWN =
            Options.KEYS.stream().map(ConfigurationPropertyName::of).toList();

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
        for (Option<?> option : Options.ALL) {
            String key = option.key();
            if (option == Options.FUNCTION_MODES) {
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
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().filter(ROOT::isAncestorOf).filter(name -> !known(name)).forEach(name -> warnings.accept(
                        "rawmetrics: ignoring " + name + " (from " + origin(source) + "): no such setting; did you mean "
                        + ConfigSources.closest(name.toString(), Options.KEYS)
                        + "? (the settings are listed in docs/configuration.md)"));
            }
        }
    }

    private static boolean known(ConfigurationPropertyName name) {
        for (ConfigurationPropertyName key : KNOWN) {
            if (key.equals(name) || key.isAncestorOf(name)) { // function-modes[0] is a list's element
                return true;
            }
        }
        return false;
    }

    private static String origin(ConfigurationPropertySource source) {
        Object underlying = source.getUnderlyingSource();
        return underlying instanceof PropertySource<?> propertySource ? propertySource.getName() : String.valueOf(underlying);
    }
}

package io.rawmetrics.spring.boot;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.config.Option;
import io.rawmetrics.internal.config.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code META-INF/spring-configuration-metadata.json} as the library's key table ({@link Options})
 * makes it: what an IDE completes in application.properties. {@link ConfigurationMetadataTest}
 * fails when the file differs; {@code main} writes it again.
 */
final class ConfigurationMetadata {

    static final Path FILE = Path.of("src/main/resources/META-INF/spring-configuration-metadata.json");

    private ConfigurationMetadata() {
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(FILE, json(), StandardCharsets.UTF_8);
    }

    static String json() {
        StringBuilder json = new StringBuilder("{\n  \"groups\": [\n    {\n      \"name\": \"rawmetrics\",\n")
                .append("      \"description\": \"rawmetrics: every @FunctionCall call a point in InfluxDB (docs/configuration.md).\"\n")
                .append("    }\n  ],\n  \"properties\": [\n");
        List<Option<?>> options = Options.ALL;
        for (int i = 0; i < options.size(); i++) {
            Option<?> option = options.get(i);
            json.append("    {\n      \"name\": ").append(quote(option.key()))
                    .append(",\n      \"type\": ").append(quote(type(option)))
                    .append(",\n      \"description\": ").append(quote(option.description()));
            if (option.defaultText() != null && !option.defaultText().isEmpty()) {
                json.append(",\n      \"defaultValue\": ").append(defaultValue(option));
            }
            json.append("\n    }").append(i + 1 < options.size() ? ",\n" : "\n");
        }
        json.append("  ],\n  \"hints\": [\n");
        json.append(hint(RawMetricsConfig.MODE, List.of("raw", "aggregated", "both"))).append(",\n");
        json.append(hint(RawMetricsConfig.API, List.of("v1", "v2"))).append("\n  ]\n}\n");
        return json.toString();
    }

    /** The type an IDE checks a value against: a value the library reads with units ({@code 1GiB}) is text to it. */
    private static String type(Option<?> option) {
        Class<?> type = option.type();
        if (type == Boolean.class || type == Integer.class || type == Duration.class) {
            return type.getName();
        }
        if (type == Long.class) {
            return isNumber(option.defaultText()) ? type.getName() : String.class.getName();
        }
        return String.class.getName(); // URLs, paths, the enums (see the hints) and the function=mode pairs
    }

    private static String defaultValue(Option<?> option) {
        String text = option.defaultText();
        String type = type(option);
        if (type.equals(Boolean.class.getName()) || isNumber(text) && !type.equals(String.class.getName())) {
            return text.toLowerCase(Locale.ROOT);
        }
        return quote(text);
    }

    private static boolean isNumber(String text) {
        return text != null && text.matches("-?\\d+");
    }

    private static String hint(String key, List<String> values) {
        StringBuilder hint = new StringBuilder("    {\n      \"name\": ").append(quote(key)).append(",\n      \"values\": [\n");
        for (int i = 0; i < values.size(); i++) {
            hint.append("        {\n          \"value\": ").append(quote(values.get(i))).append("\n        }")
                    .append(i + 1 < values.size() ? ",\n" : "\n");
        }
        return hint.append("      ]\n    }").toString();
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}

package io.rawmetrics.internal.config;

import io.rawmetrics.InvalidConfigurationException;
import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration key, as one row of the table ({@link Options#ALL}): its name, its environment
 * variable, its default (in text form, read by its own parser, so that the documentation and the
 * code show the same thing), how its text is read, what values are allowed, whether it is a
 * secret, and a one-line description. {@code RawMetricsConfig}'s {@code KEYS}, {@code set},
 * {@code toString}, {@code equals} and {@code hashCode} come from the table, and
 * docs/configuration.md is checked against it.
 *
 * @param <T> the type of its value
 */
public final class Option<T> {

    /** Reads a value's text form, or throws an {@link InvalidConfigurationException} naming {@code key}. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String key, String text);
    }

    private final int index;
    private final String key;
    private final Class<T> type;
    private final String defaultText;
    private final T defaultValue;
    private final Parser<T> parser;
    private final Function<T, String> check;
    private final boolean secret;
    private final String description;

    Option(int index, String key, Class<T> type, String defaultText, Parser<T> parser, Function<T, String> check,
            boolean secret, String description) {
        this.index = index;
        this.key = key;
        this.type = type;
        this.defaultText = defaultText;
        this.parser = parser;
        this.check = check;
        this.secret = secret;
        this.description = description;
        this.defaultValue = defaultText == null ? null : parser.parse(key, defaultText);
    }

    /** Its place in the table, and in a table of values. */
    public int index() {
        return index;
    }

    /** The key, such as {@code rawmetrics.batch-size}. */
    public String key() {
        return key;
    }

    /** Its environment variable: {@code rawmetrics.batch-size} is {@code RAWMETRICS_BATCH_SIZE}. */
    public String environmentVariable() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The name {@code toString} shows it under: {@code rawmetrics.influxdb.trust-store-password} is {@code trustStorePassword}. */
    public String shortName() {
        String name = key.substring(key.lastIndexOf('.') + 1);
        StringBuilder camel = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '-' && i + 1 < name.length()) {
                camel.append(Character.toUpperCase(name.charAt(++i)));
            } else {
                camel.append(c);
            }
        }
        return camel.toString();
    }

    /** The default as documented, or {@code null} for none. */
    public String defaultText() {
        return defaultText;
    }

    /** The default value, or {@code null} for none. */
    public T defaultValue() {
        return defaultValue;
    }

    /** Whether its value is never shown (a password, a token). */
    public boolean secret() {
        return secret;
    }

    /** One line saying what it does. */
    public String description() {
        return description;
    }

    /** The value's Java type, for tools that list the keys (an IDE's completion). */
    public Class<T> type() {
        return type;
    }

    /** Reads {@code text}; throws an {@link InvalidConfigurationException} naming the key and the text. */
    public T parse(String text) {
        return parser.parse(key, text);
    }

    /** What is wrong with {@code value} for this key, or {@code null} if nothing is. */
    public String problem(Object value) {
        return check.apply(type.cast(value));
    }

    /** This option's value in a table of values indexed like {@link Options#ALL}. */
    public T in(Object[] values) {
        return type.cast(values[index]);
    }

    /** Sets this option's value in a table of values indexed like {@link Options#ALL}. */
    public void set(Object[] values, T value) {
        values[index] = value;
    }

    /** How {@code toString} shows {@code value}: a secret as {@code ****}. */
    public String show(Object value) {
        return secret && value != null ? "****" : String.valueOf(value);
    }

    @Override
    public String toString() {
        return key;
    }
}

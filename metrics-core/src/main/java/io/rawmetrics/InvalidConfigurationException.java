package io.rawmetrics;

/**
 * A configuration value that cannot be used. The message names the key and the value (never the
 * password's value) and says what would be accepted.
 */
public final class InvalidConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The key whose value cannot be used. */
    private final String key;

    /**
     * @param key     the key whose value cannot be used, such as {@code rawmetrics.batch-size}
     * @param message what is wrong with it, quoting the value (never a password's)
     */
    public InvalidConfigurationException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /** The configuration key, for example {@code rawmetrics.batch-size}. */
    public String key() {
        return key;
    }
}

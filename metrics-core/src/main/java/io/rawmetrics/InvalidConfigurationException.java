package io.rawmetrics;

import java.util.List;

/**
 * A configuration value that cannot be used. The message names the key and the value (never the
 * password's value) and says what would be accepted. When several values cannot be used, one
 * exception names all of them: {@link #problems()}, one line each in the message.
 */
public final class InvalidConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The key whose value cannot be used. */
    private final String key;
    /** Every value that cannot be used, this one first. */
    private final List<InvalidConfigurationException> problems;

    /**
     * @param key     the key whose value cannot be used, such as {@code rawmetrics.batch-size}
     * @param message what is wrong with it, quoting the value (never a password's)
     */
    public InvalidConfigurationException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
        this.problems = List.of(this);
    }

    private InvalidConfigurationException(List<InvalidConfigurationException> problems) {
        super(problems.size() + " configuration values cannot be used:\n  "
                + String.join("\n  ", problems.stream().map(Throwable::getMessage).toList()));
        this.key = problems.get(0).key;
        this.problems = List.copyOf(problems);
    }

    /**
     * One exception for every problem of {@code problems} (at least one): the problem itself if
     * it is alone, else one naming them all, whose {@link #key()} is the first's.
     */
    public static InvalidConfigurationException of(List<InvalidConfigurationException> problems) {
        return problems.size() == 1 ? problems.get(0) : new InvalidConfigurationException(problems);
    }

    /** Every value that cannot be used, each with its key and message; this one alone if there is one. */
    public List<InvalidConfigurationException> problems() {
        return problems;
    }

    /** The configuration key, for example {@code rawmetrics.batch-size}; the first one's if there are several. */
    public String key() {
        return key;
    }
}

package io.rawmetrics;

/** Run in a child JVM by {@link ConfigFromProcessEnvironmentTest}: prints what the real environment configures. */
public final class PrintConfig {

    private PrintConfig() {
    }

    public static void main(String[] args) {
        try {
            System.out.println(RawMetricsConfig.fromEnvironment());
        } catch (InvalidConfigurationException e) {
            System.out.println("invalid " + e.getMessage());
        }
    }
}

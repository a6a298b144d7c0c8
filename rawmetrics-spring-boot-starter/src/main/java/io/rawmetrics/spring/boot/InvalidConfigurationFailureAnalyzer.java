package io.rawmetrics.spring.boot;

import io.rawmetrics.InvalidConfigurationException;
import java.util.stream.Collectors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A bad {@code rawmetrics.*} value fails the application's start, and Spring Boot's report says
 * which key, which value, and what to do, instead of a stack trace.
 */
final class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        String problems = cause.problems().stream().map(p -> "    " + p.getMessage()).collect(Collectors.joining("\n"));
        String keys = cause.problems().stream().map(InvalidConfigurationException::key).distinct()
                .collect(Collectors.joining(", "));
        return new FailureAnalysis("rawmetrics cannot use its configuration:\n" + problems,
                "Correct " + keys + " where the application's configuration sets it (application.properties or .yml,"
                + " a profile, an environment variable or a command-line argument). The settings and their values"
                + " are listed in docs/configuration.md; an IDE completes them from the starter's metadata.", cause);
    }
}

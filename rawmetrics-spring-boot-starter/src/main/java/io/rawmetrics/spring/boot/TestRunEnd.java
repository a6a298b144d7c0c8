package io.rawmetrics.spring.boot;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * In a test run on the JUnit Platform ({@code mvn test}, Gradle, an IDE), the recorders of the
 * Spring test contexts stop when the last test has run, so that their loss summary, if any, is in
 * the test output: the contexts themselves are closed by a JVM shutdown hook, whose output Maven's
 * Surefire loses. Registered in {@code META-INF/services}; the JUnit Platform loads it, an
 * application never does. It does nothing where no Spring context started rawmetrics.
 */
public final class TestRunEnd implements TestExecutionListener {

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        RecorderLifecycle.stopAll("the test run");
    }
}

package io.rawmetrics.aspect.internal;

import io.rawmetrics.internal.Recorder;
import io.rawmetrics.internal.SiteDescribers;
import org.aspectj.lang.JoinPoint;

/**
 * What the woven advice calls. Public only because ajc inlines the advice into the user's
 * classes, which must be able to reach it; not an API.
 *
 * <p>Loading this class registers the describer of join points, so the recorder can name every
 * site it receives from here.
 */
public final class FunctionCalls {

    static {
        SiteDescribers.register(JoinPointDescriber.INSTANCE);
    }

    private FunctionCalls() {
    }

    /** The timed method returned. */
    public static void returned(JoinPoint.StaticPart site, long startNanos) {
        Recorder.returned(site, startNanos);
    }

    /**
     * The timed method threw {@code error}: records it, then throws {@code error} itself, unchanged
     * and unwrapped, even if it is a checked exception. Declared to return an exception only so
     * the advice can write {@code throw FunctionCalls.threw(...)}; it never returns.
     */
    public static RuntimeException threw(JoinPoint.StaticPart site, long startNanos, Throwable error) {
        Recorder.threw(site, startNanos, error);
        throw FunctionCalls.<RuntimeException>sneakyThrow(error);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneakyThrow(Throwable error) throws T {
        throw (T) error;
    }
}

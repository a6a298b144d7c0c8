package io.rawmetrics.aspect;

import io.rawmetrics.aspect.internal.TimedMethods;

/**
 * Times methods chosen by a pointcut instead of an annotation: for code you cannot or do not
 * want to annotate. Extend it and say which methods; their calls become the same points as
 * {@code @FunctionCall}'s (default measurement, no constant tags), with the same recorder and
 * configuration. Methods also annotated {@code @FunctionCall} are left to the annotation, so no
 * call is timed twice.
 *
 * <pre>
 * public aspect TimeHandlers extends io.rawmetrics.aspect.TimedPointcut {
 *     public pointcut selected(): execution(* com.example.web..*Handler.handle(..));
 * }
 * </pre>
 *
 * or, in annotation style:
 *
 * <pre>
 * &#64;Aspect
 * public class TimeHandlers extends io.rawmetrics.aspect.TimedPointcut {
 *     &#64;Pointcut("execution(* com.example.web..*Handler.handle(..))")
 *     public void selected() { }
 * }
 * </pre>
 *
 * The concrete aspect is compiled by ajc with the rest of your sources; keep {@code metrics-aspect}
 * in {@code <aspectLibraries>}. With load-time weaving, declare it in {@code META-INF/aop.xml}
 * instead, no source needed:
 *
 * <pre>
 * &lt;concrete-aspect name="com.example.TimeHandlers" extends="io.rawmetrics.aspect.TimedPointcut"&gt;
 *   &lt;pointcut name="selected" expression="execution(* com.example.web..*Handler.handle(..))"/&gt;
 * &lt;/concrete-aspect&gt;
 * </pre>
 */
public abstract aspect TimedPointcut extends TimedMethods {

    // selected(), the method executions to time, is left abstract for you to define.

    protected pointcut excluded(): FunctionCallAspect.annotated() || within(io.rawmetrics.aspect..*);

    /**
     * Never runs: {@code NeverThrown} is never thrown. It matches exactly the methods this aspect
     * times and, unlike the typed timing advice, does not suppress {@code adviceDidNotMatch}, so a
     * {@code selected()} that matches nothing (a typo in a package name, say) is a warning in your
     * build instead of silence. On the normal path it costs nothing: it is an exception handler.
     */
    after() throwing (NeverThrown e): selected() && !excluded() {
    }

    /** Never thrown; see the advice above. */
    private static final class NeverThrown extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}

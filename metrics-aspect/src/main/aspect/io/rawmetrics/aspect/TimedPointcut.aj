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
 * in {@code <aspectLibraries>}.
 */
public abstract aspect TimedPointcut extends TimedMethods {

    /** The method executions to time. */
    public abstract pointcut selected();

    protected pointcut timed(): selected() && !FunctionCallAspect.annotated() && !within(io.rawmetrics.aspect..*);
}

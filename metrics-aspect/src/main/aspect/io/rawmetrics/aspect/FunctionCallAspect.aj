package io.rawmetrics.aspect;

import io.rawmetrics.aspect.internal.TimedMethods;

/**
 * Times every execution of a method annotated {@code @FunctionCall}, or of a public method of a
 * class annotated {@code @FunctionCall}; and the same for a composed annotation, one annotated
 * {@code @FunctionCall} (or annotated with one that is, up to three levels, as
 * {@code TimedFunction.MAX_COMPOSITION_DEPTH} says). A method that carries several is one join
 * point: timed once. The advice is in {@link TimedMethods}.
 */
public final aspect FunctionCallAspect extends TimedMethods {

    /** An annotation that is {@code @FunctionCall} or composes it, up to three levels deep. */
    private pointcut annotatedMethod(): execution(@io.rawmetrics.FunctionCall * *(..))
            || execution(@(@io.rawmetrics.FunctionCall *) * *(..))
            || execution(@(@(@io.rawmetrics.FunctionCall *) *) * *(..))
            || execution(@(@(@(@io.rawmetrics.FunctionCall *) *) *) * *(..));

    private pointcut publicMethodOfAnnotatedClass(): execution(public * (@io.rawmetrics.FunctionCall *).*(..))
            || execution(public * (@(@io.rawmetrics.FunctionCall *) *).*(..))
            || execution(public * (@(@(@io.rawmetrics.FunctionCall *) *) *).*(..))
            || execution(public * (@(@(@(@io.rawmetrics.FunctionCall *) *) *) *).*(..));

    /** Methods annotated {@code @FunctionCall} or a composed annotation, and public methods of classes annotated so. */
    public pointcut annotated(): annotatedMethod() || publicMethodOfAnnotatedClass();

    public pointcut selected(): annotated();
}

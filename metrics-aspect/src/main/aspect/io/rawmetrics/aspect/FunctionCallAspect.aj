package io.rawmetrics.aspect;

import io.rawmetrics.aspect.internal.TimedMethods;

/**
 * Times every execution of a method annotated {@code @FunctionCall}, or of a public method of a
 * class annotated {@code @FunctionCall}. The advice is in {@link TimedMethods}.
 */
public final aspect FunctionCallAspect extends TimedMethods {

    /** Methods annotated {@code @FunctionCall}, and public methods of classes annotated so. */
    public pointcut annotated(): execution(@io.rawmetrics.FunctionCall * *(..))
            || execution(public * (@io.rawmetrics.FunctionCall *).*(..));

    public pointcut selected(): annotated();
}

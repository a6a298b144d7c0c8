package com.example;

/** Times every public method of the legacy library, which has no annotation to put on it. */
public aspect TimeLegacy extends io.rawmetrics.aspect.TimedPointcut {
    public pointcut selected(): execution(public * com.legacy..*.*(..));
}

package com.example;

public aspect TimeHandlers extends io.rawmetrics.aspect.TimedPointcut {
    public pointcut selected(): execution(* com.example.web..*Handler.handle(..));
}

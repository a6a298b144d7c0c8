package com.example;

/**
 * Not annotated: timed all the same, because META-INF/aop.xml defines a concrete
 * {@code TimedPointcut} whose pointcut selects it. No aspect source, no ajc.
 */
public class Phrasebook {

    public String salutation() {
        return "Hello";
    }
}

package io.rawmetrics;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Times every call of the annotated method and writes one point per call to InfluxDB.
 *
 * <p>On a class, times every public method declared by that class. The aspect in
 * {@code io.rawmetrics:metrics-aspect} does the timing; it is woven into your classes at build
 * time by ajc ({@code aspectj-maven-plugin} with {@code metrics-aspect} in
 * {@code <aspectLibraries>}). Without weaving, this annotation does nothing.
 *
 * <p>Each call, returning or throwing, becomes a point:
 * <pre>
 * raw-requests,exception=...,function=com.example.Shop.checkout,hostname=web1,outcome=ok,process=web1:4242 application_time=0.000123456 1764133200000000000
 * </pre>
 * The result and any exception of the method pass through unchanged.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface FunctionCall {

    /**
     * The measurement the points go to. The default, empty, means the configured
     * {@code rawmetrics.measurement}, which defaults to {@code raw-requests}.
     */
    String measurement() default "";

    /**
     * Constant tags added to every point, each written {@code key=value}, for example
     * {@code @FunctionCall(tags = {"team=checkout", "tier=web"})}. The keys {@code hostname},
     * {@code process}, {@code function}, {@code outcome} and {@code exception} are the library's own.
     */
    String[] tags() default {};
}

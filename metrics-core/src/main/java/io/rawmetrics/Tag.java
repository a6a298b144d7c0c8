package io.rawmetrics;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tags each point of a timed method with the value of this parameter: {@code tenant=acme} for
 * {@code checkout(@Tag("tenant") String tenant)} called with {@code "acme"}.
 *
 * <pre>
 * &#64;FunctionCall
 * public Receipt checkout(&#64;Tag("tenant") String tenant, Cart cart) { ... }
 * </pre>
 *
 * <p>The value is {@code String.valueOf(argument)}, or what the {@link #resolver()} makes of it.
 * Every distinct value is a series of its own in InfluxDB, so the values are guarded: a tag of one
 * function takes at most {@code rawmetrics.max-tag-values} distinct values (100 by default), and
 * further values are written as {@code other}; a value is cut to
 * {@code rawmetrics.max-tag-value-length} characters (256). Both are counted in
 * {@link RawMetrics#stats()}. A {@code null} argument is the value {@code null}; an empty value
 * leaves the tag out of the point, which InfluxDB reads as the empty value. docs/schema.md has
 * the whole list.
 *
 * <p>The method must be timed (by {@link FunctionCall} or a pointcut aspect of yours) and woven by
 * ajc; the key is checked when javac compiles it: not empty, not one of the library's own keys
 * ({@code hostname}, {@code process}, {@code function}, {@code outcome}, {@code exception}), not a
 * constant tag of the same method, not given twice.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Tag {

    /** The tag key. */
    String value();

    /**
     * Turns the argument into the tag's value, instead of {@code String.valueOf}: a class with a
     * public no-argument constructor, created once per timed method. It is never given
     * {@code null} (that is the value {@code null}); if it throws or returns {@code null}, the
     * call's value is {@code error}, counted, and the method runs on unaffected.
     */
    @SuppressWarnings("rawtypes")
    Class<? extends TagResolver> resolver() default TagResolver.class;
}

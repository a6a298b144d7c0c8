package io.rawmetrics;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tags each point of a timed method with a value made from what the call returned: an order's
 * status, a cache's hit or miss, a response's status class.
 *
 * <pre>
 * public static final class StatusOf implements TagResolver&lt;Order&gt; {
 *     public String resolve(Order order) {
 *         return order.status().name();
 *     }
 * }
 * ...
 * &#64;FunctionCall
 * &#64;ResultTag(value = "status", resolver = StatusOf.class)
 * public Order place(Cart cart) { ... }
 * </pre>
 *
 * <p>The value is made when the call ends, from its result: the returned value, or for a call that
 * ends later the value it ends with, on the thread that ends it: a {@code CompletionStage}'s value,
 * a {@code Mono}'s, {@code Single}'s or {@code Maybe}'s (an empty one is {@code null}), a Kotlin
 * {@code suspend} function's, or the {@link Deferred} itself once it finished. Without a resolver
 * it is {@code String.valueOf(result)}; a {@code null} result is the value {@code null}, and the
 * resolver is never given it. A call that throws (or fails later) has the value {@code error}, one
 * cancelled before its end {@code cancelled}. A resolver that throws or returns {@code null} gives
 * {@code error} too, counted, and the method's result reaches its caller unchanged. The resolver
 * runs after the call's end time was read: it is not part of the time measured.
 *
 * <p>Values are guarded like a {@link Tag}'s: at most {@code rawmetrics.max-tag-values} distinct
 * values per function (then {@code other}), each cut to {@code rawmetrics.max-tag-value-length},
 * counted in {@link RawMetrics#stats()}. It may sit beside {@code @Tag} parameters: a point then
 * carries both.
 *
 * <p>Checked when javac compiles it, like {@code @Tag}: the key must be usable and not another tag
 * of the method, the method must return a single value (not {@code void}, a {@code Flux}, an
 * {@code Observable}, a {@code Flowable}, a {@code Completable} or a {@code Publisher}), and the
 * resolver must take that value's type.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ResultTag {

    /** The tag key. */
    String value();

    /**
     * Turns the result into the tag's value, instead of {@code String.valueOf}: a class with a
     * no-argument constructor, created once per timed method, given the result (never
     * {@code null}). Keep it cheap: it runs on the thread that ends the call, once per call.
     */
    @SuppressWarnings("rawtypes")
    Class<? extends TagResolver> resolver() default TagResolver.class;
}

package io.rawmetrics;

/**
 * Makes a {@link Tag @Tag}'s value from an argument, for example a region from an address:
 *
 * <pre>
 * public final class RegionOf implements TagResolver&lt;Address&gt; {
 *     public String resolve(Address address) {
 *         return address.country();
 *     }
 * }
 * ...
 * &#64;FunctionCall
 * public Quote quote(&#64;Tag(value = "region", resolver = RegionOf.class) Address to) { ... }
 * </pre>
 *
 * <p>Called on the caller's thread, once per call, before the method runs (and before its time is
 * taken): keep it cheap, and free of side effects. Its result is guarded like any tag value.
 *
 * @param <T> the parameter's type
 */
@FunctionalInterface
public interface TagResolver<T> {

    /**
     * The tag's value for {@code argument}, never {@code null}.
     *
     * @param argument the argument, never {@code null}
     */
    String resolve(T argument);
}

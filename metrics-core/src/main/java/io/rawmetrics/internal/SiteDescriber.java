package io.rawmetrics.internal;

/**
 * Turns the call-site object stored by a recording (an AspectJ {@code JoinPoint.StaticPart}, say)
 * into a {@link TimedFunction}. Called on the writer thread, once per site: never on the hot path.
 */
public interface SiteDescriber {

    /**
     * Describes {@code site}, or returns {@code null} if this describer doesn't know its type.
     *
     * @throws IllegalArgumentException if the site is known but its description is invalid
     *                                  (a bad measurement or tag in an annotation); the message
     *                                  names the function and the bad value
     */
    TimedFunction describe(Object site);
}

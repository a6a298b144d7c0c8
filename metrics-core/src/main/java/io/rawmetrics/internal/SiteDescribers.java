package io.rawmetrics.internal;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The describers known to this JVM. A {@link TimedFunction} describes itself; the aspect module
 * registers one for AspectJ join points when its advice class is initialised.
 */
public final class SiteDescribers {

    private static final CopyOnWriteArrayList<SiteDescriber> DESCRIBERS = new CopyOnWriteArrayList<>();

    private SiteDescribers() {
    }

    /** Adds a describer; adding the same one twice has no effect. */
    public static void register(SiteDescriber describer) {
        DESCRIBERS.addIfAbsent(describer);
    }

    /**
     * The description of {@code site}.
     *
     * @throws IllegalArgumentException if no describer knows the site, or its description is invalid
     */
    public static TimedFunction describe(Object site) {
        if (site instanceof TimedFunction function) {
            return function;
        }
        for (SiteDescriber describer : DESCRIBERS) {
            TimedFunction function = describer.describe(site);
            if (function != null) {
                return function;
            }
        }
        throw new IllegalArgumentException("no describer for call site " + site + " of " + site.getClass());
    }
}

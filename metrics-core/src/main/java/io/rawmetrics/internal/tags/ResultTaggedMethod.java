package io.rawmetrics.internal.tags;

import io.rawmetrics.TagResolver;
import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.TimedFunction;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * A timed method with a {@code @ResultTag}: its calls' sites are finished when they end, from
 * their results. A call starts with an {@link UnfinishedSite}, the method's own or, where the
 * method also has {@code @Tag} parameters, the one of its arguments' site; the call's end gives it
 * the result ({@link UnfinishedSite#returned}).
 */
public final class ResultTaggedMethod {

    private static final System.Logger LOG = LibraryLog.LOG;

    final String key;
    final TagResolver<Object> resolver;
    final TagGuard guard;
    /** The site of calls whose arguments give no tags: the method's own. */
    private final UnfinishedSite untagged;
    /**
     * The unfinished sites of the argument sites met so far, by identity (a {@link TaggedMethod}
     * interns its sites, and a record's hash would cost its map's). Copied on write: read without
     * a lock on every call, written once per combination of argument values, which the guard bounds.
     */
    private volatile IdentityHashMap<TimedFunction, UnfinishedSite> byArgumentSite = new IdentityHashMap<>();

    private ResultTaggedMethod(TimedFunction base, String key, TagResolver<Object> resolver) {
        this.key = key;
        this.resolver = resolver;
        this.guard = TagGuards.of(base.function(), key);
        this.untagged = new UnfinishedSite(this, base);
    }

    /**
     * The method {@code base} tagged {@code key} from its results, made by {@code resolver} (or
     * {@code String.valueOf} where null); {@code argumentKeys} are the keys of its {@code @Tag}
     * parameters. A key that cannot be used (a compile error where the annotation processor runs)
     * is said once, naming the method, and left out.
     *
     * @return the method, or {@code null} if its key cannot be used
     */
    @SuppressWarnings("unchecked")
    public static ResultTaggedMethod of(TimedFunction base, String key, TagResolver<?> resolver,
            List<String> argumentKeys) {
        String problem = TaggedMethod.keyProblem(key, base.tags(), argumentKeys);
        if (problem != null) {
            LOG.log(System.Logger.Level.ERROR, "rawmetrics: invalid @ResultTag on " + base.function() + ": " + problem
                    + "; its calls are recorded without that tag");
            return null;
        }
        return new ResultTaggedMethod(base, key, (TagResolver<Object>) resolver);
    }

    /** The unfinished site of a call whose arguments give no tags. */
    public UnfinishedSite site() {
        return untagged;
    }

    /**
     * The unfinished site of a call whose {@code @Tag} arguments gave {@code argumentSite}: a
     * {@link TimedFunction}, or anything else (the method's join point, when its argument tags
     * could not be used) for the method's own.
     */
    public UnfinishedSite site(Object argumentSite) {
        if (!(argumentSite instanceof TimedFunction tagged)) {
            return untagged;
        }
        UnfinishedSite site = byArgumentSite.get(tagged);
        return site != null ? site : added(tagged);
    }

    private synchronized UnfinishedSite added(TimedFunction argumentSite) {
        UnfinishedSite site = byArgumentSite.get(argumentSite);
        if (site == null) {
            IdentityHashMap<TimedFunction, UnfinishedSite> copy = new IdentityHashMap<>(byArgumentSite);
            site = new UnfinishedSite(this, argumentSite);
            copy.put(argumentSite, site);
            byArgumentSite = copy;
        }
        return site;
    }

    @Override
    public String toString() {
        return untagged + "->" + key;
    }
}

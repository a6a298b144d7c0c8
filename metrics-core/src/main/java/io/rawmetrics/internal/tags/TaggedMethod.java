package io.rawmetrics.internal.tags;

import io.rawmetrics.TagResolver;
import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.PointNames;
import io.rawmetrics.internal.TimedFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A timed method with {@code @Tag} parameters: turns each call's arguments into the call's site, a
 * {@link TimedFunction} with the method's tags and the call's tag values, one per distinct
 * combination of values (interned), so that everything after the caller, which keys by site,
 * treats each combination as a function of its own.
 *
 * <p>The per-call path ({@link #site}) is, for a value the method has seen, a hash look-up of the
 * argument itself, allocating nothing: a {@code String}, boxed primitive, enum or {@code UUID}
 * argument is its own key; any other is keyed by its {@code String.valueOf}, a resolver's by what
 * it returns. Only keys whose value was written unchanged are kept, so the look-up is bounded by
 * the guard: a value folded into {@code other}, cut, or replaced takes the slow path every time,
 * and is counted there every time.
 */
public final class TaggedMethod {

    private static final System.Logger LOG = LibraryLog.LOG;

    private final TimedFunction base;
    private final int[] positions;
    private final String[] keys;
    private final TagResolver<Object>[] resolvers;
    private final TagGuard[] guards;
    /**
     * Argument keys to sites: for one tag, key to site; for more, a map per tag but the last, key to
     * the next tag's map. Holds only keys whose values were written as they are.
     */
    private final ConcurrentHashMap<Object, Object> cache = new ConcurrentHashMap<>();
    private final AtomicInteger cached = new AtomicInteger();
    /** Each combination of values written: its site, and its number in {@link #byIndex}. */
    private final ConcurrentHashMap<List<String>, Indexed> sites = new ConcurrentHashMap<>();
    /** The sites by number; number 0 is the method without argument tags, the site of a call whose tags failed. */
    private volatile TimedFunction[] byIndex;
    /** Sites numbered so far; guarded by {@code this}. */
    private int numberedCount = 1;

    private TaggedMethod(TimedFunction base, int[] positions, String[] keys, TagResolver<Object>[] resolvers) {
        this.base = base;
        this.positions = positions;
        this.keys = keys;
        this.resolvers = resolvers;
        this.byIndex = new TimedFunction[] {base};
        this.guards = new TagGuard[keys.length];
        for (int i = 0; i < keys.length; i++) {
            guards[i] = TagGuards.of(base.function(), keys[i]);
        }
    }

    /**
     * The tagged method {@code base} with tag {@code keys[i]} from parameter {@code positions[i]},
     * made by {@code resolvers[i]} (or {@code String.valueOf} where null). A key that cannot be used
     * (empty, the library's own, a constant tag of the method, given twice: a compile error where
     * the annotation processor runs) is said once and left out.
     *
     * @return the method, or {@code null} if no tag is left
     */
    @SuppressWarnings("unchecked")
    public static TaggedMethod of(TimedFunction base, int[] positions, String[] keys, TagResolver<?>[] resolvers) {
        List<Integer> kept = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            String problem = keyProblem(keys[i], base.tags(), seen);
            if (problem != null) {
                LOG.log(System.Logger.Level.ERROR, "rawmetrics: invalid @Tag on parameter " + positions[i] + " of "
                        + base.function() + ": " + problem + "; its calls are recorded without that tag");
                continue;
            }
            seen.add(keys[i]);
            kept.add(i);
        }
        if (kept.isEmpty()) {
            return null;
        }
        int[] keptPositions = new int[kept.size()];
        String[] keptKeys = new String[kept.size()];
        TagResolver<Object>[] keptResolvers = new TagResolver[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            keptPositions[i] = positions[kept.get(i)];
            keptKeys[i] = keys[kept.get(i)];
            keptResolvers[i] = (TagResolver<Object>) resolvers[kept.get(i)];
        }
        return new TaggedMethod(base, keptPositions, keptKeys, keptResolvers);
    }

    /**
     * What is wrong with tag key {@code key} of a method with constant tags {@code constantTags} and
     * the argument tags {@code others} before it, or {@code null}.
     */
    public static String keyProblem(String key, Map<String, String> constantTags, List<String> others) {
        if (key == null || key.isEmpty()) {
            return "the tag key is empty";
        }
        try {
            PointNames.checkName("tag key", key);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (TimedFunction.isReserved(key)) {
            return "tag key '" + key + "' is reserved: the library sets hostname, process, function, outcome and"
                    + " exception itself";
        }
        if (constantTags.containsKey(key)) {
            return "tag key '" + key + "' is also a constant tag of the method (@FunctionCall tags)";
        }
        if (others.contains(key)) {
            return "tag key '" + key + "' is given twice";
        }
        return null;
    }

    /** The parameters whose arguments {@link #site} reads. */
    public int[] positions() {
        return positions.clone();
    }

    /** Whether the method has one tag: then {@link #index} gives a call's site by its argument alone. */
    public boolean singleTag() {
        return positions.length == 1;
    }

    /**
     * The number of the site of a call whose one tag's argument is {@code argument}, for {@link
     * #siteAt}: a number, so that the caller can keep it between two advice without storing a
     * reference, which under G1 costs a memory fence when it crosses regions. Never throws.
     */
    public int index(Object argument) {
        Object key = keyOf(0, argument);
        Object found = cache.get(key);
        return found != null ? ((Indexed) found).index : slowSite(new Object[] {key}).index;
    }

    /** Whether a call of this one-tag method with {@code argument} finds its site without the slow path (for tests). */
    boolean cachedFor(Object argument) {
        return cache.get(keyOf(0, argument)) != null;
    }

    /** The site numbered {@code index} by {@link #index}. */
    public TimedFunction siteAt(int index) {
        return byIndex[index];
    }

    /**
     * The site of a call whose arguments are {@code arguments} (indexed by parameter; only the
     * tagged positions are read). Leaves {@code null} at the tagged positions, so that the caller's
     * array holds no argument once the call has its site; never throws. Each argument's look-up key
     * takes its place in that array meanwhile: a call with several tags allocates nothing once
     * its combination has been seen.
     */
    public TimedFunction site(Object[] arguments) {
        try {
            for (int i = 0; i < positions.length; i++) {
                arguments[positions[i]] = keyOf(i, arguments[positions[i]]);
            }
            Map<?, ?> level = cache;
            for (int i = 0; ; i++) {
                Object found = level.get(arguments[positions[i]]);
                if (found == null) {
                    Object[] argumentKeys = new Object[positions.length]; // a combination not seen yet
                    for (int k = 0; k < positions.length; k++) {
                        argumentKeys[k] = arguments[positions[k]];
                    }
                    return slowSite(argumentKeys).site;
                }
                if (i == positions.length - 1) {
                    return ((Indexed) found).site;
                }
                level = (Map<?, ?>) found;
            }
        } finally {
            for (int position : positions) {
                arguments[position] = null;
            }
        }
    }

    /** How argument {@code i} is looked up ({@link TagKeys}). */
    private Object keyOf(int i, Object argument) {
        return TagKeys.of(resolvers[i], argument);
    }

    /** A call whose values are not all in the cache: guards each value, interns the site, and caches it if it may. */
    private Indexed slowSite(Object[] argumentKeys) {
        try {
            String[] values = new String[argumentKeys.length];
            boolean asWritten = true;
            int maxValues = TagGuards.maxValues();
            int maxLength = TagGuards.maxLength();
            for (int i = 0; i < argumentKeys.length; i++) {
                Object key = argumentKeys[i];
                if (key instanceof TagKeys.Failure failure) {
                    values[i] = guards[i].failed(failure.cause());
                    asWritten = false;
                    continue;
                }
                String text = TagKeys.text(key);
                values[i] = guards[i].valueOf(text, maxValues, maxLength);
                asWritten &= values[i] == text;
            }
            Indexed site = sites.computeIfAbsent(List.of(values), this::number);
            if (asWritten && cached.get() < 4 * sites.size() + 64) {
                cache(argumentKeys, site);
            }
            return site;
        } catch (RuntimeException bug) {
            LOG.log(System.Logger.Level.ERROR, "rawmetrics: tags of " + base.function() + " could not be made: " + bug);
            return new Indexed(0, base);
        }
    }

    /** A new combination of values: its site, numbered. Under the lock of {@link #sites}' bin, once per combination. */
    private Indexed number(List<String> values) {
        TimedFunction site = describe(values);
        synchronized (this) {
            TimedFunction[] numbered = byIndex;
            if (numberedCount == numbered.length) {
                numbered = Arrays.copyOf(numbered, numbered.length * 2);
            }
            numbered[numberedCount] = site;
            byIndex = numbered; // published before the number is: a thread that reads the number finds the site
            return new Indexed(numberedCount++, site);
        }
    }

    private void cache(Object[] argumentKeys, Indexed site) {
        ConcurrentHashMap<Object, Object> level = cache;
        for (int i = 0; i < argumentKeys.length - 1; i++) {
            @SuppressWarnings("unchecked")
            ConcurrentHashMap<Object, Object> next = (ConcurrentHashMap<Object, Object>) level.computeIfAbsent(
                    argumentKeys[i], k -> new ConcurrentHashMap<>());
            level = next;
        }
        if (level.putIfAbsent(argumentKeys[argumentKeys.length - 1], site) == null) {
            cached.incrementAndGet();
        }
    }

    /** The site of one combination of values: the method's tags and these; an empty value is left out. */
    private TimedFunction describe(List<String> values) {
        Map<String, String> tags = new LinkedHashMap<>(base.tags());
        for (int i = 0; i < values.size(); i++) {
            if (!values.get(i).isEmpty()) {
                tags.put(keys[i], values.get(i));
            }
        }
        return new TimedFunction(base.measurement(), base.function(), tags);
    }

    @Override
    public String toString() {
        return base.function() + Arrays.toString(keys);
    }

    /** A site and its number in {@link #byIndex}. */
    private record Indexed(int index, TimedFunction site) {
    }
}

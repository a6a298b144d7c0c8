package io.rawmetrics.internal.tags;

import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.TimedFunction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The site of a call of a {@link ResultTaggedMethod} before its result is known: every tag but the
 * result's. Its end finishes it: {@link #returned} with the result, {@link #threw} or
 * {@link #cancelled} without one. Each value's site is made once and interned, so that everything
 * after the caller, which keys by site, sees one site per value.
 *
 * <p>The per-call path ({@link #returned}) is, for a value seen before, the resolver's call and a
 * hash look-up of what it returned (a constant string hashes once), allocating nothing. As in
 * {@link TaggedMethod}, only keys whose value was written unchanged are cached: a value folded
 * into {@code other}, cut or failed takes the guard's path, and is counted there, every time.
 */
public final class UnfinishedSite {

    /** The value of a call that ended without a result: it threw, or failed later. */
    public static final String THREW = TagGuard.ERROR;
    /** The value of a call cancelled before its end. */
    public static final String CANCELLED = "cancelled";

    private static final System.Logger LOG = LibraryLog.LOG;

    private final ResultTaggedMethod method;
    private final TimedFunction before;
    /** Result keys to sites; only keys whose value was written as it is. */
    private final ConcurrentHashMap<Object, TimedFunction> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger cached = new AtomicInteger();
    /** Each value written: its site. */
    private final ConcurrentHashMap<String, TimedFunction> byValue = new ConcurrentHashMap<>();
    private final TimedFunction threw;
    private final TimedFunction cancelled;

    UnfinishedSite(ResultTaggedMethod method, TimedFunction before) {
        this.method = method;
        this.before = before;
        this.threw = siteOf(THREW);
        this.cancelled = siteOf(CANCELLED);
    }

    /** The site of the call that returned (or completed with) {@code result}; never throws. */
    public TimedFunction returned(Object result) {
        Object key = TagKeys.of(method.resolver, result);
        TimedFunction site = byKey.get(key);
        return site != null ? site : slowSite(key);
    }

    /** The site of the call that threw, or failed later: the value {@value #THREW}. */
    public TimedFunction threw() {
        return threw;
    }

    /** The site of the call cancelled before its end: the value {@value #CANCELLED}. */
    public TimedFunction cancelled() {
        return cancelled;
    }

    /** A value not in the cache: guards it, interns its site, and caches its key if it may. */
    private TimedFunction slowSite(Object key) {
        try {
            if (key instanceof TagKeys.Failure failure) {
                return siteOf(method.guard.failed(failure.cause()));
            }
            String text = TagKeys.text(key);
            String value = method.guard.valueOf(text, TagGuards.maxValues(), TagGuards.maxLength());
            TimedFunction site = siteOf(value);
            if (value == text && cached.get() < 4 * byValue.size() + 64 && byKey.putIfAbsent(key, site) == null) {
                cached.incrementAndGet();
            }
            return site;
        } catch (RuntimeException bug) {
            LOG.log(System.Logger.Level.ERROR, "rawmetrics: the result tag of " + before.function()
                    + " could not be made: " + bug);
            return before;
        }
    }

    private TimedFunction siteOf(String value) {
        return byValue.computeIfAbsent(value, this::describe);
    }

    /** The site of one value: the call's other tags and this one; an empty value is left out. */
    private TimedFunction describe(String value) {
        if (value.isEmpty()) {
            return before;
        }
        Map<String, String> tags = new LinkedHashMap<>(before.tags());
        tags.put(method.key, value);
        return new TimedFunction(before.measurement(), before.function(), tags);
    }

    @Override
    public String toString() {
        return before.toString();
    }
}

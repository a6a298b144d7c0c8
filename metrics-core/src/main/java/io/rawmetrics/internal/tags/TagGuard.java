package io.rawmetrics.internal.tags;

import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.Throttle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cardinality guard of one tag of one function: the values it has taken, at most
 * {@code rawmetrics.max-tag-values} of them; a further value is {@link #OTHER}. Counts the calls
 * whose value was folded into {@code other}, cut, or could not be made (a resolver failed), and
 * says each once, naming the function and the tag.
 *
 * <p>Only the slow path comes here: a call whose value is new to its method, or not kept by the
 * method's cache (folded, cut, replaced, a resolver's failure).
 */
public final class TagGuard {

    /** The value of a call whose value came after the tag had taken its most values. */
    public static final String OTHER = "other";
    /** The value of a call whose resolver threw or returned {@code null}. */
    public static final String ERROR = "error";

    private static final System.Logger LOG = LibraryLog.LOG;

    private final String function;
    private final String key;
    private final Set<String> values = ConcurrentHashMap.newKeySet();
    private final AtomicLong folded = new AtomicLong();
    private final AtomicLong cut = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    /** Each said once, by whichever thread first meets it. */
    private final Throttle foldSaid = Throttle.once();
    private final Throttle cutSaid = Throttle.once();
    private final Throttle errorSaid = Throttle.once();

    TagGuard(String function, String key) {
        this.function = function;
        this.key = key;
    }

    /**
     * The value a call with {@code text} is written with: {@code text} cut to {@code maxLength},
     * made writable ({@link TagValueText}), if the tag has taken it before or has room for it,
     * else {@link #OTHER}.
     */
    String valueOf(String text, int maxValues, int maxLength) {
        String value = TagValueText.cut(text, maxLength);
        if (value != text) {
            cut.incrementAndGet();
            if (cutSaid.sayNow()) {
                LOG.log(System.Logger.Level.WARNING, "rawmetrics: a value of tag '" + key + "' of " + function
                        + " is longer than " + maxLength + " characters (rawmetrics.max-tag-value-length): it is cut"
                        + " to that length; calls with values cut are counted in RawMetrics.stats()");
            }
        }
        value = TagValueText.writable(value);
        if (values.contains(value)) {
            return value;
        }
        synchronized (this) {
            if (values.size() < maxValues || values.contains(value)) {
                values.add(value);
                return value;
            }
        }
        folded.incrementAndGet();
        if (foldSaid.sayNow()) {
            LOG.log(System.Logger.Level.WARNING, "rawmetrics: tag '" + key + "' of " + function + " has taken "
                    + maxValues + " distinct values, its most (rawmetrics.max-tag-values): calls with any other value"
                    + " are written with " + key + "=" + OTHER + ", and counted in RawMetrics.stats()");
        }
        return OTHER;
    }

    /** A call whose value could not be made: its resolver threw {@code failure} or returned null. */
    String failed(Throwable failure) {
        errors.incrementAndGet();
        if (errorSaid.sayNow()) {
            LOG.log(System.Logger.Level.WARNING, "rawmetrics: the value of tag '" + key + "' of " + function
                    + " could not be made (" + (failure == null ? "its resolver returned null" : failure) + "): such"
                    + " calls are written with " + key + "=" + ERROR + ", and counted in RawMetrics.stats()");
        }
        return ERROR;
    }

    public String function() {
        return function;
    }

    public String key() {
        return key;
    }

    /** Distinct values taken so far ({@code other} and {@code error} not included). */
    public int values() {
        return values.size();
    }

    /** Calls written with {@link #OTHER} because the tag had taken its most values. */
    public long folded() {
        return folded.get();
    }

    /** Calls whose value was cut to the most characters. */
    public long cut() {
        return cut.get();
    }

    /** Calls written with {@link #ERROR} because the resolver failed. */
    public long errors() {
        return errors.get();
    }
}

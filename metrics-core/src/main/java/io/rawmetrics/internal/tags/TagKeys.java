package io.rawmetrics.internal.tags;

import io.rawmetrics.TagResolver;
import java.util.Set;
import java.util.UUID;

/**
 * How a tag's value (an argument, or a call's result) is looked up in a method's cache of sites:
 * as itself, its text, its resolver's value, or a {@link Failure}. A {@code String}, boxed
 * primitive, enum or {@code UUID} is its own key, so a value seen before allocates nothing.
 */
final class TagKeys {

    /** The key of {@code null}, whose value is {@code null}. */
    static final Object NULL_KEY = new Object();
    private static final Set<Class<?>> OWN_KEYS = Set.of(String.class, Integer.class, Long.class, Short.class,
            Byte.class, Boolean.class, Character.class, UUID.class);

    private TagKeys() {
    }

    /** The key of {@code value}, made by {@code resolver} (or {@code String.valueOf} where null); never throws. */
    static Object of(TagResolver<Object> resolver, Object value) {
        if (value == null) {
            return NULL_KEY;
        }
        try {
            if (resolver != null) {
                String resolved = resolver.resolve(value);
                return resolved != null ? resolved : new Failure(null);
            }
            if (value instanceof String) {
                return value;
            }
            Class<?> type = value.getClass();
            return OWN_KEYS.contains(type) || type.isEnum() ? value : String.valueOf(value);
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError failure) {
            // A resolver's (or toString's) failure never reaches the timed method's caller.
            return new Failure(failure);
        }
    }

    /** The text of a key that is not a {@link Failure}. */
    static String text(Object key) {
        return key == NULL_KEY ? "null" : key instanceof String s ? s : String.valueOf(key);
    }

    /** A resolver (or a value's {@code toString}) that threw {@code cause}, or returned {@code null}. */
    record Failure(Throwable cause) {
    }
}

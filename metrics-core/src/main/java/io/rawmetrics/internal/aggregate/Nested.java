package io.rawmetrics.internal.aggregate;

/**
 * How a call that is not a request (another timed call on its thread encloses it) is stored in the
 * aggregated mode: its outcome, wrapped. A request's outcome is stored as it is, so that the calls
 * of a program whose timed methods do not nest cost what raw calls cost. One instance per outcome,
 * made once: storing one allocates nothing.
 */
public final class Nested {

    static final Nested OK = new Nested(null);

    private static final ClassValue<Nested> FAILED = new ClassValue<>() {
        @Override
        protected Nested computeValue(Class<?> type) {
            return new Nested(type);
        }
    };

    /** The class of what the call threw, {@link io.rawmetrics.internal.Cancelled}, or {@code null} if it returned. */
    public final Object error;

    private Nested(Object error) {
        this.error = error;
    }

    /** The stored form of a nested call's outcome. */
    static Nested of(Object error) {
        return error == null ? OK : FAILED.get((Class<?>) error);
    }
}

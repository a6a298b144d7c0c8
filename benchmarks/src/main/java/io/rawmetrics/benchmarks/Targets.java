package io.rawmetrics.benchmarks;

import io.micrometer.core.annotation.Timed;
import io.rawmetrics.FunctionCall;
import io.rawmetrics.ResultTag;
import io.rawmetrics.Tag;
import io.rawmetrics.TagResolver;

/** The same trivial method, four ways: untimed, and timed by each contender. Woven by ajc. */
public class Targets {

    public int baseline(int x) {
        return x * 31 + 7;
    }

    @FunctionCall
    public int functionCall(int x) {
        return x * 31 + 7;
    }

    /** The same, timed through a composed annotation two levels deep ({@link CheckoutCall}). */
    @CheckoutCall
    public int functionCallComposed(int x) {
        return x * 31 + 7;
    }

    /** A composed annotation. */
    @FunctionCall(tags = "layer=service")
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target({java.lang.annotation.ElementType.METHOD, java.lang.annotation.ElementType.TYPE})
    public @interface ServiceCall {
    }

    /** Composed of {@link ServiceCall}: two levels. */
    @ServiceCall
    @FunctionCall(tags = "team=checkout")
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target({java.lang.annotation.ElementType.METHOD, java.lang.annotation.ElementType.TYPE})
    public @interface CheckoutCall {
    }

    /** The same, tagged by a {@code String} argument. */
    @FunctionCall
    public int functionCallTagged(int x, @Tag("tenant") String tenant) {
        return x * 31 + 7;
    }

    /** The same, tagged by two {@code String} arguments. */
    @FunctionCall
    public int functionCallTwoTags(int x, @Tag("tenant") String tenant, @Tag("region") String region) {
        return x * 31 + 7;
    }

    /** A result tag's resolver that returns a constant, the measure of the result tag's own cost. */
    public static final class Constant implements TagResolver<Object> {
        @Override
        public String resolve(Object result) {
            return "ok";
        }
    }

    /** Returns one of the caller's strings, tagged by a resolver that returns a constant. */
    @FunctionCall
    @ResultTag(value = "status", resolver = Constant.class)
    public String functionCallResultTag(int x, String tenant) {
        return x < 0 ? null : tenant;
    }

    /** {@link #functionCall} with a result tag of a constant: the {@code int} is boxed for the resolver. */
    @FunctionCall
    @ResultTag(value = "status", resolver = Constant.class)
    public int functionCallResultTagInt(int x) {
        return x * 31 + 7;
    }

    /** Returns one of the caller's eight strings, which is its tag's value (no resolver): 8 sites. */
    @FunctionCall
    @ResultTag("tenant")
    public String functionCallResultTagValue(int x, String tenant) {
        return x < 0 ? null : tenant;
    }

    /** The same, for the aggregated mode ({@code rawmetrics.mode=aggregated} in its own fork). */
    @FunctionCall
    public int functionCallAggregated(int x) {
        return x * 31 + 7;
    }

    @Timed("micrometer.timed")
    public int micrometerTimed(int x) {
        return x * 31 + 7;
    }

    @InfluxdbJavaTimed
    public int influxdbJavaPoint(int x) {
        return x * 31 + 7;
    }

    /** For {@link LazyResultBenchmark}: a {@code Mono}, untimed. */
    public reactor.core.publisher.Mono<Integer> monoUntimed(int x) {
        return reactor.core.publisher.Mono.just(x * 31 + 7);
    }

    /** The same, timed until its subscription ends. */
    @FunctionCall
    public reactor.core.publisher.Mono<Integer> monoTimed(int x) {
        return reactor.core.publisher.Mono.just(x * 31 + 7);
    }

    /** For the end-to-end run: a timed call doing nothing. */
    @FunctionCall
    public void noop() {
    }
}

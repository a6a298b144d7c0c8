package io.rawmetrics.internal.trace;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/** Real spans of the OpenTelemetry SDK, for the tests of trace ids. */
public final class TestSpans {

    private TestSpans() {
    }

    /**
     * An SDK tracer provider as an application configures one. It needs a span processor: without
     * one, the SDK (1.67) hands out invalid spans, as nothing would receive them.
     */
    public static SdkTracerProvider tracerProvider(Sampler sampler) {
        return SdkTracerProvider.builder().setSampler(sampler).addSpanProcessor(new SpanProcessor() {
            @Override
            public void onStart(Context parent, ReadWriteSpan span) {
            }

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
            }

            @Override
            public boolean isEndRequired() {
                return false;
            }
        }).build();
    }
}

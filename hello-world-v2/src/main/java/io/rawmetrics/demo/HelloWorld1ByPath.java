package io.rawmetrics.demo;

import io.rawmetrics.FunctionCall;
import io.rawmetrics.Tag;
import io.rawmetrics.TagResolver;

/**
 * {@code wsgi-1} with each request's point tagged by its path ({@code --tag-path}):
 * {@code path=/orders}. A server's paths are as many as its clients make up, so the tag's values
 * are guarded: past {@code rawmetrics.max-tag-values} (100) distinct paths, the others are
 * written as {@code path=other}.
 */
public final class HelloWorld1ByPath implements Application {

    /** The tag's value: the request's path, without its query. */
    public static final class PathOf implements TagResolver<Request> {
        @Override
        public String resolve(Request request) {
            return request.path();
        }
    }

    @Override
    @FunctionCall
    public Response application(@Tag(value = "path", resolver = PathOf.class) Request request) {
        return Response.text(200, "Hello World!");
    }
}

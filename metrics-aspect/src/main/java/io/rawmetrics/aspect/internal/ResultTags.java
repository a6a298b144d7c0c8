package io.rawmetrics.aspect.internal;

import io.rawmetrics.ResultTag;
import io.rawmetrics.Tag;
import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.tags.ResultTaggedMethod;
import io.rawmetrics.internal.tags.UnfinishedSite;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * The sites of methods with a {@code @ResultTag}: a call starts with an {@link UnfinishedSite} and
 * its end finishes it with the result ({@link #returned}, {@link #threw}, {@link #cancelled}).
 * Those three take any site, and hand back one that is not unfinished unchanged: the code that
 * ends calls later (a stage, a subscription, a continuation) is the same for every timed method.
 */
final class ResultTags {

    private static final System.Logger LOG = LibraryLog.LOG;
    /** Each result-tagged method, read once. */
    private static final ConcurrentHashMap<JoinPoint.StaticPart, Described> METHODS = new ConcurrentHashMap<>();

    private ResultTags() {
    }

    /**
     * The unfinished site of the call of {@code part} about to start; takes the arguments its
     * {@code @Tag} parameters bound, if it has any. Never throws: a method whose result tag cannot
     * be used gives the site it would have without it.
     */
    static Object site(JoinPoint.StaticPart part) {
        Described described = METHODS.get(part);
        if (described == null) {
            described = METHODS.computeIfAbsent(part, ResultTags::described);
        }
        Object argumentSite = described.argumentTags ? TagArguments.site(part) : part;
        return described.method == null ? argumentSite : described.method.site(argumentSite);
    }

    /** The site of a call of {@code site} that returned {@code result}. */
    static Object returned(Object site, Object result) {
        return site instanceof UnfinishedSite unfinished ? unfinished.returned(result) : site;
    }

    /** The site of a call of {@code site} that threw, or failed later. */
    static Object threw(Object site) {
        return site instanceof UnfinishedSite unfinished ? unfinished.threw() : site;
    }

    /** The site of a call of {@code site} cancelled before its end. */
    static Object cancelled(Object site) {
        return site instanceof UnfinishedSite unfinished ? unfinished.cancelled() : site;
    }

    /** A method's result tag ({@code null} if it cannot be used), and whether it has {@code @Tag} parameters. */
    private record Described(ResultTaggedMethod method, boolean argumentTags) {
    }

    private static Described described(JoinPoint.StaticPart part) {
        Method method = part.getSignature() instanceof MethodSignature signature ? signature.getMethod() : null;
        List<String> argumentKeys = new ArrayList<>();
        if (method != null) {
            for (Annotation[] annotations : method.getParameterAnnotations()) {
                for (Annotation annotation : annotations) {
                    if (annotation instanceof Tag tag) {
                        argumentKeys.add(tag.value());
                    }
                }
            }
        }
        boolean argumentTags = !argumentKeys.isEmpty();
        try {
            TimedFunction base = JoinPointDescriber.INSTANCE.describe(part);
            ResultTag tag = method == null ? null : method.getAnnotation(ResultTag.class);
            if (base == null || tag == null) {
                return new Described(null, argumentTags);
            }
            return new Described(ResultTaggedMethod.of(base, tag.value(),
                    TagArguments.resolver(tag.resolver(), "result tag '" + tag.value() + "'", base.function()),
                    argumentKeys), argumentTags);
        } catch (RuntimeException | LinkageError bug) {
            LOG.log(System.Logger.Level.ERROR, "rawmetrics: the @ResultTag of " + part.getSignature()
                    + " could not be read, its calls are recorded without it: " + bug);
            return new Described(null, argumentTags);
        }
    }
}

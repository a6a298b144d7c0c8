package io.rawmetrics.aspect.internal;

import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.SiteDescriber;
import io.rawmetrics.internal.TimedFunction;
import java.lang.reflect.Method;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * Describes a woven method from its join point: {@code function} is the declaring class's binary
 * name and the method name ({@code com.example.Outer$Inner.handle}); measurement and tags come from
 * the method's {@code @FunctionCall} and composed annotations (annotations annotated
 * {@code @FunctionCall}), or else its class's ({@link TimedFunction#described}).
 *
 * <p>An invalid attribute (a tag without {@code =}, a reserved tag key, a measurement InfluxDB
 * can't read back) is a compile error where javac runs {@link io.rawmetrics.internal.processor.FunctionCallProcessor};
 * in code compiled without it, it is logged once, naming the method and the value, and the
 * method's calls are still recorded, with the default measurement and no constant tags: a typo in
 * an annotation must not lose the request metrics.
 */
enum JoinPointDescriber implements SiteDescriber {
    INSTANCE;

    private static final System.Logger LOG = LibraryLog.LOG;

    @Override
    public TimedFunction describe(Object site) {
        if (!(site instanceof JoinPoint.StaticPart part) || !(part.getSignature() instanceof MethodSignature signature)) {
            return null;
        }
        Class<?> type = signature.getDeclaringType();
        String function = type.getName() + "." + signature.getName();
        Method method = signature.getMethod();
        try {
            TimedFunction described = method == null ? null : TimedFunction.described(function, method);
            if (described == null) {
                described = TimedFunction.described(function, type);
            }
            return described != null ? described : TimedFunction.named(function);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, "rawmetrics: invalid @FunctionCall on " + function + ": "
                    + e.getMessage() + "; its calls are recorded with the default measurement and no extra tags");
            return TimedFunction.named(function);
        }
    }
}

package io.rawmetrics.aspect.internal;

import io.rawmetrics.Tag;
import io.rawmetrics.TagResolver;
import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.ReleasableThreadLocal;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.tags.TaggedMethod;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * Carries a call's {@code @Tag} arguments from the {@code before} advice that binds them, one per
 * parameter position, to the timing advice that starts right after it on the same thread: AspectJ
 * binds arguments by position only, and a timing advice per return type and tag position would
 * be hundreds. Public only because the woven advice calls it; not an API.
 *
 * <p>Per call of a method with one tag: two thread-local look-ups (one per advice), the value's
 * look-up in the method's cache ({@link TaggedMethod#index}) and an array read
 * ({@link TaggedMethod#siteAt}); nothing allocated. With more tags, the arguments wait in the
 * thread's array until the timing advice makes their site ({@link TaggedMethod#site}).
 */
public final class TagArguments {

    /** Parameters that can be tags: the first 16 (each position is an advice of its own). */
    public static final int POSITIONS = 16;

    private static final System.Logger LOG = LibraryLog.LOG;
    /** Released when the application ends: a servlet container's threads outlive it (see {@link ReleasableThreadLocal}). */
    private static final ReleasableThreadLocal<Bound> BOUND = ReleasableThreadLocal.tillApplicationEnd(Bound::new);
    /** Each tagged method's {@link Tagged}, or its join point itself if it has no usable tag. */
    private static final ConcurrentHashMap<JoinPoint.StaticPart, Object> METHODS = new ConcurrentHashMap<>();

    private TagArguments() {
    }

    /**
     * The {@code before} advice of a tagged parameter: its argument, for the call about to be
     * timed. A method with one tag has its call's site worked out here, kept as a number (a
     * reference stored in a long-lived object costs G1 a memory fence); with more, the
     * arguments are kept until the last is bound.
     */
    public static void bind(JoinPoint.StaticPart method, int position, Object argument) {
        Bound bound = BOUND.get();
        if (bound.tagged(method) instanceof Tagged tagged && tagged.early) {
            bound.siteIndex = tagged.method.index(argument);
        } else {
            bound.arguments[position] = argument;
        }
    }

    /** The site of the call about to be timed; lets go of its arguments. Never throws. */
    static Object site(JoinPoint.StaticPart method) {
        Bound bound = BOUND.get();
        if (bound.tagged(method) instanceof Tagged tagged) {
            return tagged.early ? tagged.method.siteAt(bound.siteIndex) : tagged.method.site(bound.arguments);
        }
        Arrays.fill(bound.arguments, null);
        return method;
    }

    /** Lets go of the arguments bound for a call that is not timed after all. */
    static void clear() {
        Arrays.fill(BOUND.get().arguments, null);
    }

    /** A thread's arguments bound for the call about to start, and the tagged method it last called. */
    private static final class Bound {
        final Object[] arguments = new Object[POSITIONS];
        /** The site of the call about to start, of a method with one tag. */
        int siteIndex;
        JoinPoint.StaticPart lastMethod;
        Object lastTagged;

        /** {@code method}'s {@link Tagged} (or itself, if it has no usable tag). */
        Object tagged(JoinPoint.StaticPart method) {
            if (lastMethod == method) { // a thread often calls the same tagged method again
                return lastTagged;
            }
            Object tagged = METHODS.get(method);
            if (tagged == null) {
                tagged = METHODS.computeIfAbsent(method, TagArguments::taggedMethod);
            }
            lastMethod = method;
            lastTagged = tagged;
            return tagged;
        }
    }

    /** Reads a method's {@code @Tag} parameters once; its join point itself if it has none that can be used. */
    private static Object taggedMethod(JoinPoint.StaticPart part) {
        try {
            TimedFunction base = JoinPointDescriber.INSTANCE.describe(part);
            Method method = ((MethodSignature) part.getSignature()).getMethod();
            if (base == null || method == null) {
                return part;
            }
            Annotation[][] annotations = method.getParameterAnnotations();
            List<Integer> positions = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            List<TagResolver<?>> resolvers = new ArrayList<>();
            for (int position = 0; position < annotations.length; position++) {
                for (Annotation annotation : annotations[position]) {
                    if (annotation instanceof Tag tag) {
                        if (position >= POSITIONS) {
                            LOG.log(System.Logger.Level.ERROR, "rawmetrics: @Tag(\"" + tag.value() + "\") on parameter "
                                    + position + " of " + base.function() + " is not written: only the first "
                                    + POSITIONS + " parameters can be tags");
                            continue;
                        }
                        positions.add(position);
                        keys.add(tag.value());
                        resolvers.add(resolver(tag.resolver(), "tag '" + tag.value() + "'", base.function()));
                    }
                }
            }
            TaggedMethod tagged = TaggedMethod.of(base, positions.stream().mapToInt(Integer::intValue).toArray(),
                    keys.toArray(String[]::new), resolvers.toArray(TagResolver<?>[]::new));
            Class<?>[] parameters = method.getParameterTypes();
            // A Kotlin suspend function's state machine enters it again to resume it, with arguments
            // that are not the call's: its arguments are only kept until the advice knows it is a call.
            boolean suspend = parameters.length > 0
                    && parameters[parameters.length - 1].getName().equals("kotlin.coroutines.Continuation");
            return tagged == null ? part : new Tagged(tagged, tagged.singleTag() && !suspend);
        } catch (RuntimeException | LinkageError bug) {
            LOG.log(System.Logger.Level.ERROR, "rawmetrics: the @Tag parameters of " + part.getSignature()
                    + " could not be read, its calls are recorded without them: " + bug);
            return part;
        }
    }

    /**
     * A method with usable tags; {@code early}: its one tag's site is worked out by the {@code
     * before} advice, not kept as an argument until the timing advice asks.
     */
    private record Tagged(TaggedMethod method, boolean early) {
    }

    /**
     * A resolver of type {@code type} ({@code TagResolver.class} itself for {@code String.valueOf}:
     * then {@code null}), created once per method; {@code tag} names it in messages. One that cannot
     * be created gives every call the value {@code error}, said and counted like a resolver's failure.
     */
    static TagResolver<?> resolver(Class<?> type, String tag, String function) {
        if (type == TagResolver.class) {
            return null;
        }
        try {
            java.lang.reflect.Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true); // a resolver nested in the user's class may be package-private
            return (TagResolver<?>) constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            String problem = "resolver " + type.getName() + " of " + tag + " of " + function
                    + " could not be created (it needs a no-argument constructor): " + e;
            LOG.log(System.Logger.Level.ERROR, "rawmetrics: " + problem);
            return argument -> {
                throw new IllegalStateException(problem);
            };
        }
    }
}

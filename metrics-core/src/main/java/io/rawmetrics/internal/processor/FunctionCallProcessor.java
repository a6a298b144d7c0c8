package io.rawmetrics.internal.processor;

import io.rawmetrics.FunctionCall;
import io.rawmetrics.ResultTag;
import io.rawmetrics.Tag;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.tags.TaggedMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.tools.Diagnostic;

/**
 * Checks every {@code @FunctionCall} and {@code @Tag} when javac compiles it, so that a measurement
 * or tag InfluxDB cannot carry is a compile error naming the method and the value, not a surprise
 * at run time. javac finds it on the class path through {@code META-INF/services}; it generates
 * nothing.
 *
 * <p>A {@code @Tag} key must be usable ({@link TaggedMethod#keyProblem}), on one of the first
 * {@value #TAG_POSITIONS} parameters, with a resolver that can be created for the parameter's type.
 * A {@code @ResultTag}'s key must be usable and not one of the method's {@code @Tag} keys; its
 * method must return a single value (not {@code void}, nor a {@code Flux}, {@code Completable},
 * {@code Observable}, {@code Flowable} or {@code Publisher}), and its resolver take that value's type
 * (a {@code CompletionStage}'s, {@code Mono}'s, {@code Single}'s or {@code Maybe}'s value for those).
 * Either on a method {@code @FunctionCall} does not select is a warning: a pointcut aspect
 * may time it, which javac cannot know; {@code @SuppressWarnings("rawmetrics-untimed-tag")} says so.
 *
 * <p>Composed annotations (an annotation type annotated {@code @FunctionCall}, or annotated with
 * one that is) are checked where they are used, as the aspect will describe them
 * ({@link TimedFunction#merged}): two that disagree on a tag or the measurement, a composition
 * deeper than the aspect matches ({@value TimedFunction#MAX_COMPOSITION_DEPTH} levels), and a
 * composed annotation the run time cannot read (not {@code @Retention(RUNTIME)}) are errors, so
 * that no composition is a silent no-op.
 */
public final class FunctionCallProcessor extends AbstractProcessor {

    /** The parameters that can be tags: as many as the aspect has advice for. */
    static final int TAG_POSITIONS = 16;
    /** What a user writes on a method a pointcut of theirs times, to silence the untimed-tag warning. */
    static final String UNTIMED_TAG = "rawmetrics-untimed-tag";

    private ResolverChecks resolvers;

    private ResolverChecks resolvers() {
        if (resolvers == null) {
            resolvers = new ResolverChecks(processingEnv.getTypeUtils());
        }
        return resolvers;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("*"); // a composed annotation can have any name: each round's are looked at
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (Element element : round.getElementsAnnotatedWith(FunctionCall.class)) {
            String function = functionName(element);
            try {
                TimedFunction.of(function, element.getAnnotation(FunctionCall.class));
            } catch (IllegalArgumentException e) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                        "invalid @FunctionCall on " + function + ": " + e.getMessage(), element,
                        mirror(element, FunctionCall.class));
            }
        }
        Set<Element> composedPlaces = new LinkedHashSet<>();
        for (TypeElement annotation : annotations) {
            if (annotation.getKind() == ElementKind.ANNOTATION_TYPE && composes(annotation, 0)) {
                composedPlaces.addAll(round.getElementsAnnotatedWith(annotation));
            }
        }
        composedPlaces.forEach(this::checkComposed);
        Set<ExecutableElement> tagged = new LinkedHashSet<>();
        for (Element element : round.getElementsAnnotatedWith(Tag.class)) {
            if (element.getEnclosingElement() instanceof ExecutableElement method) {
                tagged.add(method);
            }
        }
        for (Element element : round.getElementsAnnotatedWith(ResultTag.class)) {
            if (element instanceof ExecutableElement method) {
                tagged.add(method);
            }
        }
        tagged.forEach(this::checkTags);
        return false; // other processors may look at the annotation too
    }

    private void checkTags(ExecutableElement method) {
        String function = functionName(method);
        TimedFunction own = quietly(function, method);
        TimedFunction ofClass = quietly(function, method.getEnclosingElement());
        boolean ownTimed = own != null || timedHere(method);
        boolean classTimed = ofClass != null || timedHere(method.getEnclosingElement());
        TimedFunction describing = own != null ? own : ofClass;
        Map<String, String> constantTags = describing == null ? Map.of() : describing.tags();
        List<String> keys = new ArrayList<>();
        List<? extends VariableElement> parameters = method.getParameters();
        for (int position = 0; position < parameters.size(); position++) {
            VariableElement parameter = parameters.get(position);
            Tag tag = parameter.getAnnotation(Tag.class);
            if (tag == null) {
                continue;
            }
            String where = "invalid @Tag on parameter '" + parameter.getSimpleName() + "' of " + function + ": ";
            String problem = TaggedMethod.keyProblem(tag.value(), constantTags, keys);
            if (problem == null && position >= TAG_POSITIONS) {
                problem = "only the first " + TAG_POSITIONS + " parameters can be tags";
            }
            if (problem == null) {
                problem = resolvers().problem(mirror(parameter, Tag.class), parameter.asType(), "parameter's");
            }
            if (problem != null) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, where + problem, parameter,
                        mirror(parameter, Tag.class));
            }
            keys.add(tag.value());
        }
        ResultTag resultTag = method.getAnnotation(ResultTag.class);
        if (resultTag != null) {
            String problem = TaggedMethod.keyProblem(resultTag.value(), constantTags, keys);
            if (problem == null) {
                problem = resolvers().resultProblem(method, mirror(method, ResultTag.class));
            }
            if (problem != null) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "invalid @ResultTag on " + function
                        + ": " + problem, method, mirror(method, ResultTag.class));
            }
        }
        String annotations = resultTag == null ? "@Tag" : keys.isEmpty() ? "@ResultTag" : "@Tag and @ResultTag";
        boolean timed = ownTimed || classTimed && method.getModifiers().contains(Modifier.PUBLIC);
        if (!timed && !suppressed(method)) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING, annotations + " on " + function
                    + ", which @FunctionCall does not time (not on the method, nor on its class for a public method):"
                    + " its tags are written only if a pointcut aspect of yours times it; then say so with"
                    + " @SuppressWarnings(\"" + UNTIMED_TAG + "\")", method);
        }
    }

    /**
     * A place (a method or a class) that carries a composed annotation: described as the aspect
     * will, each problem an error on it.
     */
    private void checkComposed(Element place) {
        String function = functionName(place);
        List<String> problems = new ArrayList<>();
        try {
            describedAt(function, place, 0, problems);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        for (String problem : problems) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    "invalid composition of @FunctionCall on " + function + ": " + problem, place);
        }
    }

    /** The description of {@code place} as the aspect gives it, or {@code null}; problems said elsewhere are not said again. */
    private TimedFunction quietly(String function, Element place) {
        try {
            return describedAt(function, place, 0, new ArrayList<>());
        } catch (IllegalArgumentException alreadyAnError) {
            return null; // said by process(), for the annotation or its composition
        }
    }

    /** Whether {@code place} carries {@code @FunctionCall} or a composed annotation, valid or not: the aspect times it. */
    private boolean timedHere(Element place) {
        if (place.getAnnotation(FunctionCall.class) != null) {
            return true;
        }
        for (AnnotationMirror mirror : place.getAnnotationMirrors()) {
            TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
            if (composes(type, 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What {@code place} describes, as {@link TimedFunction#described} reads it at run time, from
     * the compiler's model; a composition deeper than the aspect matches, or one the run time
     * cannot read, is added to {@code problems}.
     */
    private TimedFunction describedAt(String function, Element place, int depth, List<String> problems) {
        List<TimedFunction.Composed> composed = new ArrayList<>();
        for (AnnotationMirror mirror : place.getAnnotationMirrors()) {
            TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
            if (skipped(type) || !composes(type, depth + 1)) {
                continue;
            }
            if (depth + 1 > TimedFunction.MAX_COMPOSITION_DEPTH) {
                problems.add("@" + type.getSimpleName() + " reaches @FunctionCall more than "
                        + TimedFunction.MAX_COMPOSITION_DEPTH + " annotations deep, which the aspect does not match:"
                        + " its methods would not be timed");
                continue;
            }
            java.lang.annotation.Retention retention = type.getAnnotation(java.lang.annotation.Retention.class);
            if (retention == null || retention.value() != java.lang.annotation.RetentionPolicy.RUNTIME) {
                problems.add("@" + type.getSimpleName() + " composes @FunctionCall but is not"
                        + " @Retention(RetentionPolicy.RUNTIME): its measurement and tags could not be read when its"
                        + " calls are recorded");
            }
            TimedFunction d = describedAt(function, type, depth + 1, problems);
            if (d != null) {
                composed.add(new TimedFunction.Composed("@" + type.getSimpleName(), d));
            }
        }
        return TimedFunction.merged(function, place.getAnnotation(FunctionCall.class), composed);
    }

    /** Whether the annotation type {@code type}, found {@code depth} levels down, is or leads to {@code @FunctionCall} (looked for a few levels past the aspect's reach, to say so). */
    private boolean composes(TypeElement type, int depth) {
        if (type.getQualifiedName().contentEquals(FunctionCall.class.getName())) {
            return false; // @FunctionCall itself is not a composition
        }
        if (skipped(type) || depth > TimedFunction.MAX_COMPOSITION_DEPTH + 4) {
            return false;
        }
        if (type.getAnnotation(FunctionCall.class) != null) {
            return true;
        }
        for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
            if (composes((TypeElement) mirror.getAnnotationType().asElement(), depth + 1)) {
                return true;
            }
        }
        return false;
    }

    /** The JDK's meta-annotations compose nothing (and {@code @Documented} annotates itself). */
    private static boolean skipped(TypeElement type) {
        return type.getQualifiedName().toString().startsWith("java.");
    }

    private static boolean suppressed(Element element) {
        for (Element e = element; e != null; e = e.getEnclosingElement()) {
            SuppressWarnings suppress = e.getAnnotation(SuppressWarnings.class);
            if (suppress != null && Arrays.asList(suppress.value()).contains(UNTIMED_TAG)) {
                return true;
            }
        }
        return false;
    }

    /** The annotation as written, so the error points at it. */
    static AnnotationMirror mirror(Element element, Class<?> annotation) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName()
                    .contentEquals(annotation.getName())) {
                return mirror;
            }
        }
        return null;
    }

    /** {@code com.example.Shop.checkout} for a method, {@code com.example.Shop} for a class. */
    private String functionName(Element element) {
        if (element.getKind() == ElementKind.METHOD) {
            TypeElement type = (TypeElement) element.getEnclosingElement();
            return processingEnv.getElementUtils().getBinaryName(type) + "." + element.getSimpleName();
        }
        return element instanceof TypeElement type
                ? processingEnv.getElementUtils().getBinaryName(type).toString() : element.toString();
    }
}

package io.rawmetrics.internal.processor;

import io.rawmetrics.FunctionCall;
import io.rawmetrics.Tag;
import io.rawmetrics.TagResolver;
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
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Checks every {@code @FunctionCall} and {@code @Tag} when javac compiles it, so that a measurement
 * or tag InfluxDB cannot carry is a compile error naming the method and the value, not a surprise
 * at run time. javac finds it on the class path through {@code META-INF/services}; it generates
 * nothing.
 *
 * <p>A {@code @Tag} key must be usable ({@link TaggedMethod#keyProblem}), on one of the first
 * {@value #TAG_POSITIONS} parameters, with a resolver that can be created for the parameter's type.
 * A {@code @Tag} on a method {@code @FunctionCall} does not select is a warning: a pointcut aspect
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
                problem = resolverProblem(parameter);
            }
            if (problem != null) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, where + problem, parameter,
                        mirror(parameter, Tag.class));
            }
            keys.add(tag.value());
        }
        boolean timed = ownTimed || classTimed && method.getModifiers().contains(Modifier.PUBLIC);
        if (!timed && !suppressed(method)) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING, "@Tag on " + function
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

    /** What is wrong with the resolver of {@code parameter}'s {@code @Tag}, or {@code null}. */
    private String resolverProblem(VariableElement parameter) {
        TypeMirror resolver = resolverType(parameter);
        if (resolver == null) {
            return null;
        }
        TypeElement type = (TypeElement) processingEnv.getTypeUtils().asElement(resolver);
        boolean classOrRecord = type.getKind() == ElementKind.CLASS || type.getKind() == ElementKind.RECORD;
        if (!classOrRecord || type.getModifiers().contains(Modifier.ABSTRACT)) {
            String kind = classOrRecord ? "abstract class" : type.getKind().toString().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ');
            return "resolver " + type.getQualifiedName() + " must be a class that can be created, not an " + kind;
        }
        if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
            return "resolver " + type.getQualifiedName() + " is an inner class: make it static, so it can be created"
                    + " without an instance of " + type.getEnclosingElement().getSimpleName();
        }
        boolean noArguments = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .anyMatch(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE));
        if (!noArguments) {
            return "resolver " + type.getQualifiedName() + " needs a constructor without arguments, not private";
        }
        TypeMirror accepted = resolvedType(resolver);
        Types types = processingEnv.getTypeUtils();
        TypeMirror argument = parameter.asType().getKind().isPrimitive()
                ? types.boxedClass((PrimitiveType) parameter.asType()).asType() : parameter.asType();
        if (accepted != null && !types.isAssignable(types.erasure(argument), types.erasure(accepted))) {
            return "resolver " + type.getQualifiedName() + " takes " + accepted + ", not the parameter's "
                    + parameter.asType();
        }
        return null;
    }

    /** The {@code resolver} attribute of the parameter's {@code @Tag}, or {@code null} if none is given. */
    private TypeMirror resolverType(VariableElement parameter) {
        AnnotationMirror tag = mirror(parameter, Tag.class);
        for (var entry : tag.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals("resolver")
                    && entry.getValue().getValue() instanceof TypeMirror type
                    && !type.toString().equals(TagResolver.class.getName())) {
                return type;
            }
        }
        return null;
    }

    /** The {@code T} of {@code TagResolver<T>} that {@code resolver} implements, or {@code null} if raw. */
    private TypeMirror resolvedType(TypeMirror resolver) {
        Types types = processingEnv.getTypeUtils();
        for (TypeMirror supertype : types.directSupertypes(resolver)) {
            if (supertype instanceof DeclaredType declared
                    && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals(TagResolver.class.getName())) {
                return declared.getTypeArguments().isEmpty() ? null : declared.getTypeArguments().get(0);
            }
            TypeMirror found = resolvedType(supertype);
            if (found != null) {
                return found;
            }
        }
        return null;
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
    private static AnnotationMirror mirror(Element element, Class<?> annotation) {
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

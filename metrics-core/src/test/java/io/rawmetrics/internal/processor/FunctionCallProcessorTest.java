package io.rawmetrics.internal.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The @FunctionCall checker, run by a real javac on small sources. */
class FunctionCallProcessorTest {

    @TempDir
    Path classes;

    private List<Diagnostic<? extends JavaFileObject>> compile(String source) {
        return compile(source, Diagnostic.Kind.ERROR);
    }

    private List<String> messages(String source, Diagnostic.Kind kind) {
        return compile(source, kind).stream().sorted(java.util.Comparator.comparingLong(Diagnostic::getLineNumber))
                .map(d -> d.getLineNumber() + ": " + d.getMessage(null)).toList();
    }

    private List<Diagnostic<? extends JavaFileObject>> compile(String source, Diagnostic.Kind kind) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///com/example/Shop.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString()), null, List.of(file));
        task.setProcessors(List.of(new FunctionCallProcessor()));
        task.call();
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == kind).collect(Collectors.toList());
    }

    @Test
    void validAnnotationsCompile() {
        assertEquals(List.of(), compile("""
                package com.example;
                import io.rawmetrics.FunctionCall;
                @FunctionCall(tags = "layer=service")
                public class Shop {
                    @FunctionCall(measurement = "checkout requests", tags = {"team=checkout", "tier=web"})
                    public String checkout() { return "ok"; }
                }
                """));
    }

    @Test
    void aTagWithoutEqualsSignIsACompileErrorNamingTheMethodAndTheValue() {
        List<Diagnostic<? extends JavaFileObject>> errors = compile("""
                package com.example;
                import io.rawmetrics.FunctionCall;
                public class Shop {
                    @FunctionCall(tags = "checkout")
                    public String checkout() { return "ok"; }
                }
                """);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("invalid @FunctionCall on com.example.Shop.checkout: tag \"checkout\" must be written key=value",
                errors.get(0).getMessage(null));
        assertEquals(4, errors.get(0).getLineNumber());
    }

    @Test
    void reservedKeysAndUnreadableMeasurementsAreCompileErrors() {
        List<Diagnostic<? extends JavaFileObject>> errors = compile("""
                package com.example;
                import io.rawmetrics.FunctionCall;
                public class Shop {
                    @FunctionCall(tags = "outcome=always")
                    public String a() { return "a"; }
                    @FunctionCall(measurement = "#requests")
                    public String b() { return "b"; }
                    @FunctionCall(tags = "team=a\\\\")
                    public String c() { return "c"; }
                }
                """);
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get(0).getMessage(null).contains("com.example.Shop.a") && errors.get(0).getMessage(null).contains("'outcome'"));
        assertTrue(errors.get(1).getMessage(null).contains("\"#requests\""));
        assertTrue(errors.get(2).getMessage(null).contains("backslash"));
    }

    @Test
    void validTagsCompileWithoutWarnings() {
        String source = """
                package com.example;
                import io.rawmetrics.FunctionCall;
                import io.rawmetrics.Tag;
                import io.rawmetrics.TagResolver;
                @FunctionCall(tags = "layer=service")
                public class Shop {
                    public static final class Upper implements TagResolver<CharSequence> {
                        public String resolve(CharSequence s) { return s.toString().toUpperCase(); }
                    }
                    public record Lower() implements TagResolver<String> {
                        public String resolve(String s) { return s.toLowerCase(); }
                    }
                    public String checkout(@Tag("tenant") String tenant, @Tag(value = "region", resolver = Upper.class) String r,
                            @Tag("shard") int shard, @Tag(value = "zone", resolver = Lower.class) String z) { return "ok"; }
                    @FunctionCall
                    String own(@Tag("tenant") String tenant) { return tenant; }
                    @SuppressWarnings("rawmetrics-untimed-tag")
                    String byMyPointcut(@Tag("tenant") String tenant) { return tenant; }
                }
                """;
        assertEquals(List.of(), messages(source, Diagnostic.Kind.ERROR));
        assertEquals(List.of(), messages(source, Diagnostic.Kind.WARNING));
    }

    @Test
    void unusableTagKeysAreCompileErrorsNamingTheParameterAndTheMethod() {
        assertEquals(List.of(
                "5: invalid @Tag on parameter 'a' of com.example.Shop.checkout: the tag key is empty",
                "5: invalid @Tag on parameter 'b' of com.example.Shop.checkout: tag key 'outcome' is reserved: the"
                        + " library sets hostname, process, function, outcome and exception itself",
                "6: invalid @Tag on parameter 'c' of com.example.Shop.checkout: tag key 'team' is also a constant tag"
                        + " of the method (@FunctionCall tags)",
                "6: invalid @Tag on parameter 'd' of com.example.Shop.checkout: tag key 'tenant' is given twice"),
                messages("""
                package com.example;
                import io.rawmetrics.*;
                public class Shop {
                    @FunctionCall(tags = "team=checkout")
                    public String checkout(@Tag("") String a, @Tag("outcome") String b, @Tag("tenant") String t,
                            @Tag("team") String c, @Tag("tenant") String d) { return "ok"; }
                }
                """, Diagnostic.Kind.ERROR));
    }

    @Test
    void aResolverThatCannotBeCreatedOrTakesAnotherTypeIsACompileError() {
        assertEquals(List.of(
                "11: invalid @Tag on parameter 'a' of com.example.Shop.checkout: resolver com.example.Shop.NeedsArgs"
                        + " needs a constructor without arguments, not private",
                "11: invalid @Tag on parameter 'b' of com.example.Shop.checkout: resolver com.example.Shop.OfNumbers"
                        + " takes java.lang.Number, not the parameter's java.lang.String",
                "12: invalid @Tag on parameter 'c' of com.example.Shop.checkout: resolver com.example.Shop.Inner is"
                        + " an inner class: make it static, so it can be created without an instance of Shop",
                "13: invalid @Tag on parameter 'e' of com.example.Shop.checkout: resolver com.example.Shop.Face must"
                        + " be a class that can be created, not an interface"),
                messages("""
                package com.example;
                import io.rawmetrics.*;
                public class Shop {
                    public static class NeedsArgs implements TagResolver<String> {
                        NeedsArgs(int x) { }
                        public String resolve(String s) { return s; }
                    }
                    public static class OfNumbers implements TagResolver<Number> { public String resolve(Number n) { return "n"; } }
                    public class Inner implements TagResolver<String> { public String resolve(String s) { return s; } }
                    public interface Face extends TagResolver<String> { }
                    @FunctionCall public String checkout(@Tag(value = "a", resolver = NeedsArgs.class) String a, @Tag(value = "b", resolver = OfNumbers.class) String b,
                            @Tag(value = "c", resolver = Inner.class) String c, @Tag(value = "d", resolver = OfNumbers.class) int d,
                            @Tag(value = "e", resolver = Face.class) String e) { return "ok"; }
                }
                """, Diagnostic.Kind.ERROR));
    }

    @Test
    void aTagOnAMethodNothingTimesIsAWarning() {
        assertEquals(List.of("4: @Tag on com.example.Shop.checkout, which @FunctionCall does not time (not on the"
                        + " method, nor on its class for a public method): its tags are written only if a pointcut aspect"
                        + " of yours times it; then say so with @SuppressWarnings(\"rawmetrics-untimed-tag\")",
                "7: @Tag on com.example.Shop$Quiet.privateOne, which @FunctionCall does not time (not on the"
                        + " method, nor on its class for a public method): its tags are written only if a pointcut aspect"
                        + " of yours times it; then say so with @SuppressWarnings(\"rawmetrics-untimed-tag\")"),
                messages("""
                package com.example;
                import io.rawmetrics.*;
                public class Shop {
                    public String checkout(@Tag("tenant") String tenant) { return "ok"; }
                    @FunctionCall
                    static class Quiet {
                        private String privateOne(@Tag("tenant") String tenant) { return "ok"; }
                    }
                }
                """, Diagnostic.Kind.WARNING));
    }

    @Test
    void validResultTagsCompileWithoutWarnings() {
        String source = """
                package com.example;
                import io.rawmetrics.*;
                import java.util.concurrent.*;
                public class Shop {
                    public record Order(String status) { }
                    public static final class StatusOf implements TagResolver<Order> {
                        public String resolve(Order order) { return order.status(); }
                    }
                    public static final class Parity implements TagResolver<Integer> {
                        public String resolve(Integer n) { return n % 2 == 0 ? "even" : "odd"; }
                    }
                    @FunctionCall @ResultTag(value = "status", resolver = StatusOf.class)
                    public Order place(@Tag("tenant") String tenant) { return new Order("placed"); }
                    @FunctionCall @ResultTag(value = "status", resolver = StatusOf.class)
                    public CompletableFuture<Order> later() { return CompletableFuture.completedFuture(new Order("placed")); }
                    @FunctionCall @ResultTag(value = "status", resolver = StatusOf.class)
                    public CompletionStage<Order> stage() { return later(); }
                    @FunctionCall @ResultTag(value = "parity", resolver = Parity.class)
                    public int count() { return 2; }
                    @FunctionCall @ResultTag("hit")
                    public boolean cached() { return true; }
                }
                """;
        assertEquals(List.of(), messages(source, Diagnostic.Kind.ERROR));
        assertEquals(List.of(), messages(source, Diagnostic.Kind.WARNING));
    }

    @Test
    void aResultTagWithoutASingleValueOrWithAnUnusableKeyOrResolverIsACompileError() {
        assertEquals(List.of(
                "10: invalid @ResultTag on com.example.Shop.nothing: the method returns void: there is no result to"
                        + " take the tag from",
                "11: invalid @ResultTag on com.example.Shop.many: the method returns a Publisher, which has many values"
                        + " or none: a result tag needs a single value (a Mono, Single, Maybe or CompletionStage has one)",
                "12: invalid @ResultTag on com.example.Shop.wrongType: resolver com.example.Shop.StatusOf takes"
                        + " com.example.Shop.Order, not the method's result java.lang.String",
                "13: invalid @ResultTag on com.example.Shop.wrongValue: resolver com.example.Shop.StatusOf takes"
                        + " com.example.Shop.Order, not the result's value java.lang.String",
                "14: invalid @ResultTag on com.example.Shop.twice: tag key 'tenant' is given twice",
                "15: invalid @ResultTag on com.example.Shop.reserved: tag key 'outcome' is reserved: the library sets"
                        + " hostname, process, function, outcome and exception itself",
                "16: invalid @ResultTag on com.example.Shop.constant: tag key 'team' is also a constant tag of the"
                        + " method (@FunctionCall tags)"),
                messages("""
                package com.example;
                import io.rawmetrics.*;
                import java.util.concurrent.*;
                @FunctionCall(tags = "team=checkout")
                public class Shop {
                    public record Order(String status) { }
                    public static final class StatusOf implements TagResolver<Order> {
                        public String resolve(Order order) { return order.status(); }
                    }
                    @ResultTag("status") public void nothing() { }
                    @ResultTag("status") public Flow.Publisher<Order> many() { return null; }
                    @ResultTag(value = "status", resolver = StatusOf.class) public String wrongType() { return ""; }
                    @ResultTag(value = "status", resolver = StatusOf.class) public CompletableFuture<String> wrongValue() { return null; }
                    @ResultTag("tenant") public String twice(@Tag("tenant") String tenant) { return tenant; }
                    @ResultTag("outcome") public String reserved() { return ""; }
                    @ResultTag("team") public String constant() { return ""; }
                }
                """, Diagnostic.Kind.ERROR));
    }

    @Test
    void aResultTagOnAMethodNothingTimesIsAWarning() {
        assertEquals(List.of("4: @ResultTag on com.example.Shop.checkout, which @FunctionCall does not time (not on the"
                        + " method, nor on its class for a public method): its tags are written only if a pointcut aspect"
                        + " of yours times it; then say so with @SuppressWarnings(\"rawmetrics-untimed-tag\")"),
                messages("""
                package com.example;
                import io.rawmetrics.*;
                public class Shop {
                    @ResultTag("status") public String checkout() { return "ok"; }
                    @ResultTag("status") @SuppressWarnings("rawmetrics-untimed-tag") public String mine() { return "ok"; }
                }
                """, Diagnostic.Kind.WARNING));
    }

    /** Composed annotations of the tests below: @ServiceCall (layer=service), @RepositoryCall (layer=repository), @CheckoutCall (@ServiceCall, team=checkout). */
    private static final String COMPOSED = """
                @FunctionCall(tags = "layer=service")
                @Retention(RetentionPolicy.RUNTIME) @Target({ElementType.METHOD, ElementType.TYPE})
                @interface ServiceCall { }
                @FunctionCall(tags = "layer=repository")
                @Retention(RetentionPolicy.RUNTIME) @Target({ElementType.METHOD, ElementType.TYPE})
                @interface RepositoryCall { }
                @ServiceCall @FunctionCall(tags = "team=checkout")
                @Retention(RetentionPolicy.RUNTIME) @Target({ElementType.METHOD, ElementType.TYPE})
                @interface CheckoutCall { }
            """;

    private static String withComposed(String shop) {
        return "package com.example;\nimport io.rawmetrics.*;\nimport java.lang.annotation.*;\n" + COMPOSED + shop;
    }

    @Test
    void aComposedAnnotationTimesWhatItMarksAndItsTagsAreTheMethodsConstantTags() {
        String source = withComposed("""
                public class Shop {
                    @CheckoutCall public String checkout(@Tag("tenant") String tenant) { return "ok"; }
                    @ServiceCall public String clash(@Tag("layer") String layer) { return "ok"; }
                }
                """);
        assertEquals(List.of("15: invalid @Tag on parameter 'layer' of com.example.Shop.clash: tag key 'layer' is also a"
                + " constant tag of the method (@FunctionCall tags)"), messages(source, Diagnostic.Kind.ERROR));
        assertEquals(List.of(), messages(source, Diagnostic.Kind.WARNING), "a @Tag on a method a composed annotation times is timed");
    }

    @Test
    void twoComposedAnnotationsThatDisagreeAreACompileErrorUnlessTheMethodSaysWhich() {
        assertEquals(List.of("14: invalid composition of @FunctionCall on com.example.Shop.both: @ServiceCall and"
                        + " @RepositoryCall set tag 'layer' to service and repository: say which with"
                        + " @FunctionCall(tags = \"layer=...\") on com.example.Shop.both"),
                messages(withComposed("""
                public class Shop {
                    @ServiceCall @RepositoryCall public String both() { return "ok"; }
                    @ServiceCall @RepositoryCall @FunctionCall(tags = "layer=mixed") public String decided() { return "ok"; }
                    @ServiceCall @CheckoutCall public String agreeing() { return "ok"; }
                }
                """), Diagnostic.Kind.ERROR));
    }

    @Test
    void aComposedAnnotationTheRunTimeCannotReadIsACompileError() {
        assertEquals(List.of("7: invalid composition of @FunctionCall on com.example.Shop.f: @ClassOnly composes"
                        + " @FunctionCall but is not @Retention(RetentionPolicy.RUNTIME): its measurement and tags could"
                        + " not be read when its calls are recorded"),
                messages("""
                package com.example;
                import io.rawmetrics.*;
                import java.lang.annotation.*;
                @FunctionCall(tags = "layer=service") @Target(ElementType.METHOD)
                @interface ClassOnly { }
                public class Shop {
                    @ClassOnly public String f() { return "ok"; }
                }
                """, Diagnostic.Kind.ERROR));
    }

    @Test
    void aCompositionDeeperThanTheAspectMatchesIsACompileError() {
        List<String> errors = messages("""
                package com.example;
                import io.rawmetrics.*;
                import java.lang.annotation.*;
                @FunctionCall(tags = "a=1") @Retention(RetentionPolicy.RUNTIME) @interface One { }
                @One @Retention(RetentionPolicy.RUNTIME) @interface Two { }
                @Two @Retention(RetentionPolicy.RUNTIME) @interface Three { }
                @Three @Retention(RetentionPolicy.RUNTIME) @interface Four { }
                public class Shop {
                    @Three public String deepEnough() { return "ok"; }
                    @Four public String tooDeep() { return "ok"; }
                }
                """, Diagnostic.Kind.ERROR);
        assertEquals(List.of("10: invalid composition of @FunctionCall on com.example.Shop.tooDeep: @One reaches"
                + " @FunctionCall more than 3 annotations deep, which the aspect does not match: its methods would not be timed"),
                errors);
    }
}

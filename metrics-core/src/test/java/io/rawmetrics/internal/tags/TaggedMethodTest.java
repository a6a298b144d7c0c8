package io.rawmetrics.internal.tags;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.TagResolver;
import io.rawmetrics.internal.TimedFunction;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Arguments to sites: values, interning, the guard's folding and counting, failures. */
class TaggedMethodTest {

    private static final AtomicInteger FUNCTIONS = new AtomicInteger();
    /** Each test its own function: the guards are per function, for the whole JVM. */
    private final String function = "com.example.Shop.checkout" + FUNCTIONS.incrementAndGet();

    @AfterEach
    void defaultLimits() {
        TagGuards.limit(100, 256);
    }

    private TaggedMethod method(String key, TagResolver<?> resolver) {
        return TaggedMethod.of(new TimedFunction(null, function, Map.of("team", "web")), new int[] {1},
                new String[] {key}, new TagResolver<?>[] {resolver});
    }

    private static Object site(TaggedMethod method, Object argument) {
        Object[] arguments = {"not a tag", argument};
        Object site = method.site(arguments);
        assertNull(arguments[1], "the argument is let go");
        assertEquals("not a tag", arguments[0]);
        return site;
    }

    private static Map<String, String> tags(Object site) {
        return ((TimedFunction) site).tags();
    }

    @Test
    void twoTagsMakeOneSitePerCombinationAndTheArgumentsAreLetGo() {
        TaggedMethod method = TaggedMethod.of(new TimedFunction(null, function, Map.of()), new int[] {0, 2},
                new String[] {"tenant", "region"}, new TagResolver<?>[] {null, null});
        Object[] first = {"acme", "not a tag", "eu"};
        Object acmeEu = method.site(first);
        assertArrayEquals(new Object[] {null, "not a tag", null}, first, "a combination not seen yet");
        Object[] again = {new String("acme"), 7, "eu"};
        assertSame(acmeEu, method.site(again));
        assertArrayEquals(new Object[] {null, 7, null}, again, "a combination seen before");
        assertEquals(Map.of("tenant", "acme", "region", "us"), tags(method.site(new Object[] {"acme", null, "us"})));
    }

    @Test
    void aValueSeenBeforeIsTheSameSiteWithTheMethodsTags() {
        TaggedMethod method = method("tenant", null);
        Object acme = site(method, "acme");
        assertEquals(Map.of("team", "web", "tenant", "acme"), tags(acme));
        assertSame(acme, site(method, new String("acme")));
        assertEquals(Map.of("team", "web", "tenant", "42"), tags(site(method, 42)));
        assertSame(site(method, 42), site(method, "42"), "one value, one site, whatever the argument's type");
        assertEquals("null", tags(site(method, null)).get("tenant"));
        assertEquals(Map.of("team", "web"), tags(site(method, "")), "an empty value leaves the tag out");
    }

    @Test
    void eachValueOfOneTagKeepsItsSiteAsThreadsAddValuesTogether() throws Exception {
        TaggedMethod method = method("tenant", null);
        int threads = 8;
        int values = 100; // the guard's default cap: every value is written as it is, and cached
        Object[][] seen = new Object[threads][values];
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < values; i++) {
                        int value = (i * 7 + thread * 13) % values; // each thread meets the values in its own order
                        seen[thread][value] = method.siteAt(method.index(new String("tenant-" + value)));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> each : done) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int value = 0; value < values; value++) {
            Object site = seen[0][value];
            assertEquals("tenant-" + value, tags(site).get("tenant"));
            for (int t = 1; t < threads; t++) {
                assertSame(site, seen[t][value], "one site per value, whichever thread met it first");
            }
            assertSame(site, site(method, "tenant-" + value), "found again, by another String of the same text");
            assertTrue(method.cachedFor(new String("tenant-" + value)), "tenant-" + value + " is looked up, not made again");
        }
        assertFalse(method.cachedFor("tenant-" + values), "a value never seen");
        assertEquals(values, TagGuards.of(function, "tenant").values());
    }

    @Test
    void valuesPastTheCapAreOtherAndCountedEveryTime() {
        TagGuards.limit(3, 256);
        TaggedMethod method = method("tenant", null);
        for (String tenant : new String[] {"a", "b", "c", "d", "e", "d", "a"}) {
            site(method, tenant);
        }
        assertEquals("other", tags(site(method, "d")).get("tenant"));
        assertEquals("a", tags(site(method, "a")).get("tenant"));
        TagGuard guard = TagGuards.of(function, "tenant");
        assertEquals(3, guard.values());
        assertEquals(4, guard.folded(), "d, e, d, then d again");
    }

    @Test
    void longValuesAreCutAndCountedAndUnwritableCharactersReplaced() {
        TagGuards.limit(100, 5);
        TaggedMethod method = method("path", null);
        assertEquals("abcde", tags(site(method, "abcdefgh")).get("path"));
        assertEquals("abcde", tags(site(method, "abcdefgh")).get("path"));
        assertEquals("a\\nb", tags(site(method, "a\nb")).get("path"));
        assertEquals("ab c/", tags(site(method, "ab c\\")).get("path"));
        assertEquals(2, TagGuards.of(function, "path").cut());
    }

    @Test
    void aResolverMakesTheValueAndItsFailureIsErrorCounted() {
        TaggedMethod method = method("region", (TagResolver<String>) s -> {
            if (s.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            return s.equals("none") ? null : s.substring(0, 2);
        });
        assertEquals("fr", tags(site(method, "fr-paris")).get("region"));
        assertEquals("error", tags(site(method, "boom")).get("region"));
        assertEquals("error", tags(site(method, "none")).get("region"));
        assertEquals("null", tags(site(method, null)).get("region"), "null never reaches the resolver");
        assertEquals(2, TagGuards.of(function, "region").errors());
        assertEquals(0, TagGuards.of(function, "region").folded());
    }

    @Test
    void severalTagsMakeOneSitePerCombination() {
        TaggedMethod method = TaggedMethod.of(TimedFunction.named(function), new int[] {0, 2},
                new String[] {"tenant", "tier"}, new TagResolver<?>[] {null, null});
        Object[] arguments = {"acme", 1, "gold"};
        Object site = method.site(arguments);
        assertArrayEquals(new Object[] {null, 1, null}, arguments);
        assertEquals(Map.of("tenant", "acme", "tier", "gold"), tags(site));
        assertSame(site, method.site(new Object[] {"acme", 2, "gold"}));
        assertEquals(Map.of("tenant", "acme", "tier", "silver"), tags(method.site(new Object[] {"acme", 2, "silver"})));
    }

    @Test
    void unusableKeysAreLeftOutAndAMethodWithoutAnyIsNotTagged() {
        TimedFunction base = new TimedFunction(null, function, Map.of("team", "web"));
        assertNull(TaggedMethod.of(base, new int[] {0, 1}, new String[] {"outcome", "team"},
                new TagResolver<?>[] {null, null}));
        TaggedMethod kept = TaggedMethod.of(base, new int[] {0, 1}, new String[] {"", "tenant"},
                new TagResolver<?>[] {null, null});
        assertArrayEquals(new int[] {1}, kept.positions());
    }
}

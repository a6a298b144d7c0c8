package io.rawmetrics.internal.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.rawmetrics.TagResolver;
import io.rawmetrics.internal.TimedFunction;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Results to sites: values, interning, the guard, failures, calls without a result, beside argument tags. */
class ResultTaggedMethodTest {

    private static final AtomicInteger FUNCTIONS = new AtomicInteger();
    /** Each test its own function: the guards are per function, for the whole JVM. */
    private final String function = "com.example.Shop.place" + FUNCTIONS.incrementAndGet();
    private final TimedFunction base = new TimedFunction(null, function, Map.of("team", "web"));

    record Order(String status) {
    }

    @AfterEach
    void defaultLimits() {
        TagGuards.limit(100, 256);
    }

    private ResultTaggedMethod method(TagResolver<?> resolver) {
        return ResultTaggedMethod.of(base, "status", resolver, List.of());
    }

    private static Map<String, String> tags(TimedFunction site) {
        return site.tags();
    }

    private TagGuard guard() {
        return TagGuards.of(function, "status");
    }

    @Test
    void aResultsValueIsTheSameSiteEachTimeWithTheMethodsTags() {
        UnfinishedSite site = method((TagResolver<Order>) Order::status).site();
        TimedFunction placed = site.returned(new Order("placed"));
        assertEquals(Map.of("team", "web", "status", "placed"), tags(placed));
        assertEquals(function, placed.function());
        assertSame(placed, site.returned(new Order(new String("placed"))), "interned: one site per value");
        assertEquals(Map.of("team", "web", "status", "refused"), tags(site.returned(new Order("refused"))));
        assertEquals(2, guard().values());
    }

    @Test
    void withoutAResolverTheValueIsTheResultsTextAndNullIsNull() {
        UnfinishedSite site = method(null).site();
        assertEquals("true", tags(site.returned(Boolean.TRUE)).get("status"));
        assertEquals("42", tags(site.returned(42)).get("status"));
        assertEquals("null", tags(site.returned(null)).get("status"));
        assertEquals("Order[status=x]", tags(site.returned(new Order("x"))).get("status"));
    }

    @Test
    void aCallThatThrewIsErrorAndOneCancelledIsCancelledNeitherCountedAsAValueOrAFailure() {
        UnfinishedSite site = method((TagResolver<Order>) Order::status).site();
        assertEquals(Map.of("team", "web", "status", "error"), tags(site.threw()));
        assertEquals(Map.of("team", "web", "status", "cancelled"), tags(site.cancelled()));
        assertEquals(0, guard().values());
        assertEquals(0, guard().errors());
    }

    @Test
    void aResolverThatThrowsOrReturnsNullIsErrorCountedAndNeverThrown() {
        UnfinishedSite site = method((TagResolver<Order>) order -> {
            if (order.status().equals("boom")) {
                throw new IllegalStateException("boom");
            }
            return order.status().equals("none") ? null : order.status();
        }).site();
        assertEquals("error", tags(site.returned(new Order("boom"))).get("status"));
        assertEquals("error", tags(site.returned(new Order("none"))).get("status"));
        assertEquals("error", tags(site.returned(new Order("boom"))).get("status"), "not cached: counted every time");
        assertEquals(3, guard().errors());
        assertEquals("ok", tags(site.returned(new Order("ok"))).get("status"));
    }

    @Test
    void valuesOverTheCapAreOtherAndCountedEveryTime() {
        TagGuards.limit(3, 256);
        UnfinishedSite site = method(null).site();
        for (int i = 0; i < 3; i++) {
            assertEquals("v" + i, tags(site.returned("v" + i)).get("status"));
        }
        assertEquals("other", tags(site.returned("v3")).get("status"));
        assertEquals("other", tags(site.returned("v4")).get("status"));
        assertEquals("other", tags(site.returned("v3")).get("status"));
        assertEquals(3, guard().folded());
        assertEquals("v1", tags(site.returned("v1")).get("status"), "a value taken before the cap stays itself");
    }

    @Test
    void anEmptyValueLeavesTheTagOut() {
        UnfinishedSite site = method((TagResolver<String>) s -> "").site();
        assertEquals(Map.of("team", "web"), tags(site.returned("anything")));
    }

    @Test
    void besideArgumentTagsEachArgumentSiteHasItsOwnUnfinishedSite() {
        ResultTaggedMethod method = ResultTaggedMethod.of(base, "status", null, List.of("tenant"));
        TimedFunction acme = new TimedFunction(null, function, Map.of("team", "web", "tenant", "acme"));
        TimedFunction globex = new TimedFunction(null, function, Map.of("team", "web", "tenant", "globex"));
        UnfinishedSite ofAcme = method.site(acme);
        assertSame(ofAcme, method.site(acme));
        assertNotSame(ofAcme, method.site(globex));
        assertEquals(Map.of("team", "web", "tenant", "acme", "status", "ok"), tags(ofAcme.returned("ok")));
        assertEquals(Map.of("team", "web", "tenant", "globex", "status", "ok"), tags(method.site(globex).returned("ok")));
        assertSame(method.site(), method.site("the join point: argument tags unusable"));
    }

    @Test
    void aKeyThatCannotBeUsedLeavesTheMethodWithoutAResultTag() {
        assertNull(ResultTaggedMethod.of(base, "outcome", null, List.of()));
        assertNull(ResultTaggedMethod.of(base, "team", null, List.of()), "a constant tag of the method");
        assertNull(ResultTaggedMethod.of(base, "tenant", null, List.of("tenant")), "an argument tag's key");
    }
}

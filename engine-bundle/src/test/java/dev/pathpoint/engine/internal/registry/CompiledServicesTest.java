package dev.pathpoint.engine.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.pathpoint.engine.internal.testing.ServiceList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Entries made of whiteboard services: reused while nothing changed, made again when a reference or the property did. */
class CompiledServicesTest {
    private final ServiceList<String> list = new ServiceList<>();
    private final AtomicInteger made = new AtomicInteger();
    private final CompiledServices<String, String> compiled = new CompiledServices<>(list.services(), "pathpoint.pattern",
            (reference, service) -> {
                made.incrementAndGet();
                return service + ":" + reference.getProperty("pathpoint.pattern");
            });

    @Test
    void entriesAreMadeOnceAndAgainOnlyWhenTheReferencesOrTheirPropertyChange() {
        list.add("low", Map.of("pathpoint.pattern", "W1.*", "service.ranking", 0));
        list.add("high", Map.of("pathpoint.pattern", "W2.*", "service.ranking", 5));
        List<String> first = compiled.entries();
        assertEquals(List.of("high:W2.*", "low:W1.*"), first, "best ranked first");
        assertSame(first, compiled.entries(), "nothing changed: the same entries");
        assertEquals(2, made.get());

        list.modify("low", Map.of("pathpoint.pattern", "W3.*", "service.ranking", 0));
        assertEquals(List.of("high:W2.*", "low:W3.*"), compiled.entries(), "the property changed: made again");

        list.modify("low", Map.of("pathpoint.pattern", "W3.*", "service.ranking", 9));
        assertEquals(List.of("low:W3.*", "high:W2.*"), compiled.entries(), "a new ranking reorders at once");

        list.remove("high");
        assertEquals(List.of("low:W3.*"), compiled.entries());
    }
}

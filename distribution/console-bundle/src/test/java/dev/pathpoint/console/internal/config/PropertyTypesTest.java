package dev.pathpoint.console.internal.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;

class PropertyTypesTest {
    private static AttributeDefinition attribute(String id, int type, int cardinality) {
        return (AttributeDefinition) Proxy.newProxyInstance(AttributeDefinition.class.getClassLoader(),
                new Class<?>[] {AttributeDefinition.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getID" -> id;
                    case "getType" -> type;
                    case "getCardinality" -> cardinality;
                    default -> null;
                });
    }

    @Test
    void valuesTakeTheMetatypesType() {
        assertEquals(502, PropertyTypes.convert(attribute("port", AttributeDefinition.INTEGER, 0), " 502"));
        assertEquals(Boolean.TRUE, PropertyTypes.convert(attribute("maskWrites", AttributeDefinition.BOOLEAN, 0), "TRUE"));
        assertEquals("3,x", PropertyTypes.convert(attribute("unitIds", AttributeDefinition.STRING, 0), "3,x"));
        assertArrayEquals(new String[] {"0=1200", "100=0x4060"},
                (String[]) PropertyTypes.convert(attribute("values", AttributeDefinition.STRING, 10), "0=1200, 100=0x4060"));
        assertEquals(List.of(1L, 2L), PropertyTypes.convert(attribute("ids", AttributeDefinition.LONG, -5), "1,2"));
    }

    @Test
    void textThatIsNotOfTheTypeIsNamed() {
        assertEquals("port: '50x' is not a whole number in the range of Integer", assertThrows(IllegalArgumentException.class,
                () -> PropertyTypes.convert(attribute("port", AttributeDefinition.INTEGER, 0), "50x")).getMessage());
        assertEquals("flag: 'yes' is not true or false", assertThrows(IllegalArgumentException.class,
                () -> PropertyTypes.convert(attribute("flag", AttributeDefinition.BOOLEAN, 0), "yes")).getMessage());
        assertEquals("ids takes at most 2 values, got 3", assertThrows(IllegalArgumentException.class,
                () -> PropertyTypes.convert(attribute("ids", AttributeDefinition.LONG, 2), "1,2,3")).getMessage());
    }

    @Test
    void withoutAMetatypeTheCurrentTypeStays() {
        assertEquals(7L, PropertyTypes.like(3L, "n", "7"));
        assertEquals("7", PropertyTypes.like(null, "n", "7"));
        assertArrayEquals(new Integer[] {1, 2}, (Integer[]) PropertyTypes.like(new Integer[] {9}, "n", "1, 2"));
        assertEquals("5020 (Integer)", PropertyTypes.describe(5020));
        assertEquals("\"TCP\"", PropertyTypes.describe("TCP"));
        assertEquals("[a, b] (String[])", PropertyTypes.describe(new String[] {"a", "b"}));
    }
}

package dev.pathpoint.sysctl.internal.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

class HeaderParserTest {

    @Test
    void parsesNamesAttributesAndDirectives() {
        List<HeaderClause> clauses = HeaderParser.parse("Import-Package",
                "a.b;c.d;version=\"[1.0,2)\";resolution:=optional, e.f;version=1.2");
        assertEquals(2, clauses.size());
        assertEquals(List.of("a.b", "c.d"), clauses.get(0).names());
        assertEquals("[1.0,2)", clauses.get(0).attribute("version"));
        assertTrue(clauses.get(0).isOptional());
        assertEquals(List.of("e.f"), clauses.get(1).names());
        assertEquals("1.2", clauses.get(1).attribute("version"));
    }

    @Test
    void keepsSeparatorsInsideQuotes() {
        List<HeaderClause> clauses = HeaderParser.parse("Require-Capability",
                "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=17))\",osgi.extender;filter:=\"(osgi.extender=a;b,c)\"");
        assertEquals(2, clauses.size());
        assertEquals("(&(osgi.ee=JavaSE)(version=17))", clauses.get(0).directive("filter"));
        assertEquals("(osgi.extender=a;b,c)", clauses.get(1).directive("filter"));
    }

    @Test
    void convertsTypedAttributes() {
        HeaderClause clause = HeaderParser.parse("Provide-Capability",
                "acme.thing;acme.thing=x;version:Version=\"1.2.3\";size:Long=7;tags:List<String>=\"a,b\";"
                        + "levels:List<Version>=\"1.0,2.0\"").get(0);
        assertEquals(new Version(1, 2, 3), clause.attributes().get("version"));
        assertEquals(7L, clause.attributes().get("size"));
        assertEquals(List.of("a", "b"), clause.attributes().get("tags"));
        assertEquals(List.of(new Version(1, 0, 0), new Version(2, 0, 0)), clause.attributes().get("levels"));
        assertEquals("x", clause.attributes().get("acme.thing"));
    }

    @Test
    void emptyOrMissingHeaderHasNoClauses() {
        assertEquals(List.of(), HeaderParser.parse("Import-Package", null));
        assertEquals(List.of(), HeaderParser.parse("Import-Package", "  "));
    }

    @Test
    void rejectsMalformedHeadersNamingTheHeader() {
        assertMalformed("Import-Package", "a.b;version=\"[1.0,2)", "unterminated quote");
        assertMalformed("Import-Package", "a.b,,c.d", "empty clause");
        assertMalformed("Import-Package", "a.b;version=1.0;c.d", "comes after attributes");
        assertMalformed("Import-Package", "version=1.0", "names nothing");
        assertMalformed("Provide-Capability", "x;v:Version=not.a.version!", "v:Version");
        assertMalformed("Provide-Capability", "x;v:Strange=1", "unknown attribute type");
        assertMalformed("Import-Package", "a b;version=1", "is not a valid name");
    }

    private static void assertMalformed(String header, String value, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeaderParser.parse(header, value));
        assertTrue(e.getMessage().startsWith(header), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

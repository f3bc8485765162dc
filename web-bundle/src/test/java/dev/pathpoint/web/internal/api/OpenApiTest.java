package dev.pathpoint.web.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pathpoint.web.internal.WebSettings;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document the bundle serves describes exactly the routes the API serves, and its references resolve. */
class OpenApiTest {
    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() throws Exception {
        JsonNode document;
        try (InputStream in = Routes.class.getResourceAsStream(Routes.OPENAPI_RESOURCE)) {
            document = Json.MAPPER.readTree(in);
        }
        Set<String> documented = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (!method.equals("parameters")) {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        Set<String> served = new TreeSet<>();
        Api api = new Api(WebSettings.defaults(), new FakeGateway(), Runnable::run,
                new java.util.concurrent.ScheduledThreadPoolExecutor(1), System::nanoTime, realm -> null);
        for (Routes.Route route : new Routes(api).all()) {
            served.add(route.method() + " " + route.path().pattern().replace("([^/]+)", route.path().pattern().startsWith("/sysctl") ? "{op}" : "{id}"));
        }
        served.add("GET /openapi.json");
        assertEquals(served, documented);

        String text = document.toString();
        java.util.regex.Matcher refs = java.util.regex.Pattern.compile("\"\\$ref\":\"#/([^\"]+)\"").matcher(text);
        while (refs.find()) {
            assertTrue(!document.at("/" + refs.group(1)).isMissingNode(), "unresolved $ref " + refs.group(1));
        }
        assertEquals(Routes.BASE_PATH_MARK, document.at("/servers/0/url").asText());
    }
}

package dev.pathpoint.web.internal.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The API's routes: method and path to handler, and whether the route writes. */
final class Routes {
    /** Where the bundle keeps its OpenAPI document; {@value #BASE_PATH_MARK} stands for the API's URL path. */
    static final String OPENAPI_RESOURCE = "/dev/pathpoint/web/openapi.json";
    static final String BASE_PATH_MARK = "{{basePath}}";

    interface Handler {
        void handle(Exchange exchange) throws IOException;
    }

    record Route(String method, Pattern path, boolean writes, Handler handler) {
    }

    private final List<Route> routes;
    private final String openApi;

    Routes(Api api) {
        ReadEndpoints reads = new ReadEndpoints(api);
        SectionEndpoints sections = new SectionEndpoints(api);
        StreamEndpoint stream = new StreamEndpoint(api);
        routes = List.of(
                new Route("POST", Pattern.compile("/sections"), true, sections::post),
                new Route("GET", Pattern.compile("/sections/([^/]+)"), false, sections::get),
                new Route("DELETE", Pattern.compile("/sections/([^/]+)"), true, sections::delete),
                new Route("POST", Pattern.compile("/sysctl/([^/]+)"), true, sections::sysctl),
                new Route("GET", Pattern.compile("/values"), false, reads::values),
                new Route("GET", Pattern.compile("/values/stream"), false, stream::open),
                new Route("GET", Pattern.compile("/drivers"), false, reads::drivers),
                new Route("GET", Pattern.compile("/connections"), false, reads::connections),
                new Route("GET", Pattern.compile("/links"), false, reads::links),
                new Route("GET", Pattern.compile("/queue"), false, reads::queue),
                new Route("GET", Pattern.compile("/stats"), false, reads::stats));
        openApi = resource(OPENAPI_RESOURCE);
    }

    /** The routes, for the test that holds them against the OpenAPI document. */
    List<Route> all() {
        return routes;
    }

    /** The OpenAPI document needs no credentials: it tells how to use the API, nothing of the gateway. */
    boolean isPublic(String method, String path) {
        return path.equals("/openapi.json") && (method.equals("GET") || method.equals("HEAD"));
    }

    void serve(Exchange exchange) {
        String base = exchange.base;
        exchange.answer(Answer.of(200, "application/json",
                openApi.replace(BASE_PATH_MARK, base).getBytes(StandardCharsets.UTF_8)));
    }

    /** The route of the request, or null after answering 404 or 405. */
    Route find(Exchange exchange) {
        String method = exchange.request.getMethod();
        List<Route> onPath = routes.stream().filter(route -> route.path().matcher(exchange.path).matches()).toList();
        if (onPath.isEmpty()) {
            exchange.answer(Errors.of(404, "no such API endpoint: " + exchange.path + " (the API is described by "
                    + exchange.base + "/openapi.json)"));
            return null;
        }
        for (Route route : onPath) {
            if (route.method().equals(method)) {
                return route;
            }
        }
        String allowed = onPath.stream().map(Route::method).collect(Collectors.joining(", "));
        exchange.answer(Errors.of(405, method + " is not served on " + exchange.path + "; allowed: " + allowed)
                .header("Allow", allowed));
        return null;
    }

    /** The first group of the route's path pattern, e.g. a run id. */
    static String pathParameter(Exchange exchange, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(exchange.path);
        return matcher.matches() ? matcher.group(1) : "";
    }

    private static String resource(String name) {
        try (InputStream in = Routes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.pathpoint.web.internal.api;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** The API as a servlet, registered at {@code /api/v1/*} of the web context (asynchronous). */
public final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient Api api;

    public ApiServlet(Api api) {
        this.api = api;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        api.handle(request, response);
    }
}

package dev.pathpoint.web.internal.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The dashboard's files (plain HTML, CSS and JavaScript from the bundle), at the web context's root.
 * Only the listed files are served; each with a content security policy that allows nothing but this
 * origin's own scripts, styles and API, and an ETag.
 */
public final class DashboardServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String RESOURCES = "/dev/pathpoint/web/dashboard/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html",
            "app.js", "text/javascript",
            "app.css", "text/css",
            "icon.svg", "image/svg+xml");
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private final transient Map<String, File> files;

    private record File(byte[] bytes, String type, String etag) {
    }

    public DashboardServlet() {
        this.files = load();
    }

    private static Map<String, File> load() {
        Map<String, File> loaded = new java.util.HashMap<>();
        FILES.forEach((name, type) -> {
            try (InputStream in = DashboardServlet.class.getResourceAsStream(RESOURCES + name)) {
                if (in == null) {
                    throw new IllegalStateException("the bundle lacks " + RESOURCES + name);
                }
                byte[] bytes = in.readAllBytes();
                loaded.put(name, new File(bytes, type, "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 12) + "\""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return Map.copyOf(loaded);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? request.getServletPath() : request.getServletPath() + request.getPathInfo();
        if (path.isEmpty() && !request.getRequestURI().endsWith("/")) {
            // the page's relative links (api/v1/..., app.js) need the context's trailing slash
            response.sendRedirect(request.getRequestURI() + "/");
            return;
        }
        String name = path.isEmpty() || path.equals("/") ? "index.html" : path.substring(1);
        File file = files.get(name);
        if (file == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("ETag", file.etag());
        if (file.etag().equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(file.type());
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(file.bytes().length);
        response.getOutputStream().write(file.bytes());
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

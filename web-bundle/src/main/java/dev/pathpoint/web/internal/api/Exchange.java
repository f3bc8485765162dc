package dev.pathpoint.web.internal.api;

import dev.pathpoint.web.internal.auth.Identity;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.servlet.AsyncContext;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * One request on its way through the API. It is answered once: on the container's thread with a
 * blocking write, or, once the request went asynchronous (a body to read, a result to wait for, a
 * delayed login), with a non-blocking write from any thread, so that no thread of ours waits on a
 * slow client.
 */
final class Exchange {
    private static final int WRITE_CHUNK = 16 * 1024;

    final HttpServletRequest request;
    final HttpServletResponse response;
    /** The route's path, e.g. {@code /sections/abc}. */
    final String path;
    /** The client's address, as the login throttle keys it. */
    final String client;
    /** The API's URL path, e.g. {@code /pathpoint/api/v1} (taken now: containers forget it once the request went asynchronous). */
    final String base;
    Identity identity;
    private AsyncContext async;
    private final AtomicBoolean answered = new AtomicBoolean();

    Exchange(HttpServletRequest request, HttpServletResponse response, String path, String client) {
        this.request = request;
        this.response = response;
        this.path = path;
        this.client = client;
        this.base = request.getContextPath() + request.getServletPath();
    }

    /** Makes the request asynchronous (no container time-out: every wait of ours is bounded by its own timer). */
    synchronized AsyncContext async() {
        if (async == null) {
            async = request.isAsyncStarted() ? request.getAsyncContext() : request.startAsync();
            async.setTimeout(0);
        }
        return async;
    }

    synchronized boolean isAsync() {
        return async != null;
    }

    /** Whether it was answered (or is being answered) already. */
    boolean isAnswered() {
        return answered.get();
    }

    /** Claims the right to answer: false if another path answered first. */
    boolean claim() {
        return answered.compareAndSet(false, true);
    }

    /** Answers unless answered already. */
    void answer(Answer answer) {
        if (claim()) {
            send(answer);
        }
    }

    /** Answers after {@link #claim()}. */
    void send(Answer answer) {
        response.setStatus(answer.status());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        for (String[] header : answer.headers()) {
            response.addHeader(header[0], header[1]);
        }
        if (answer.contentType() != null) {
            response.setContentType(answer.contentType());
            response.setCharacterEncoding("UTF-8");
        }
        response.setContentLength(answer.body().length);
        try {
            if (isAsync()) {
                writeAsync(answer.body());
            } else {
                response.getOutputStream().write(answer.body());
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away: nothing to answer to
            complete();
        }
    }

    private void writeAsync(byte[] body) throws IOException {
        AsyncContext context = async();
        ServletOutputStream out = response.getOutputStream();
        out.setWriteListener(new WriteListener() {
            private int offset;

            @Override
            public void onWritePossible() throws IOException {
                while (out.isReady()) {
                    if (offset >= body.length) {
                        context.complete();
                        return;
                    }
                    int length = Math.min(WRITE_CHUNK, body.length - offset);
                    out.write(body, offset, length);
                    offset += length;
                }
            }

            @Override
            public void onError(Throwable failure) {
                complete();
            }
        });
    }

    /** Ends an asynchronous request without (more) output. */
    void complete() {
        AsyncContext context;
        synchronized (this) {
            context = async;
        }
        if (context != null) {
            try {
                context.complete();
            } catch (IllegalStateException e) {
                // completed already
            }
        }
    }
}

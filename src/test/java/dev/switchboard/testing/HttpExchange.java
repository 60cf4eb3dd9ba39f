package dev.switchboard.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request and its response without a server, for unit tests of servlets and filters: the
 * test says what was asked, then reads what was answered. A method the code under test calls that
 * this does not answer fails with its name, rather than answering something made up.
 */
public final class HttpExchange {

    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, String> parameters = new HashMap<>();
    private final Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private String servletPath = "";
    private String pathInfo;
    private String remoteAddr = "192.0.2.1";
    private int status = HttpServletResponse.SC_OK;

    public final HttpServletRequest request = proxy(HttpServletRequest.class, (name, args) -> switch (name) {
        case "getHeader" -> headers.getOrDefault((String) args[0], List.of()).stream().findFirst().orElse(null);
        case "getHeaders" -> Collections.enumeration(headers.getOrDefault((String) args[0], List.of()));
        case "getParameter" -> parameters.get((String) args[0]);
        case "getServletPath" -> servletPath;
        case "getPathInfo" -> pathInfo;
        case "getRemoteAddr" -> remoteAddr;
        case "getUserPrincipal" -> null;
        default -> unanswered(name);
    });

    public final HttpServletResponse response = proxy(HttpServletResponse.class, (name, args) -> switch (name) {
        case "setStatus" -> {
            status = (Integer) args[0];
            yield null;
        }
        case "getStatus" -> status;
        case "setHeader" -> {
            responseHeaders.put((String) args[0], (String) args[1]);
            yield null;
        }
        case "setContentType", "setContentLength" -> null;
        case "getOutputStream" -> new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException("setWriteListener");
            }

            @Override
            public void write(int b) {
                body.write(b);
            }
        };
        default -> unanswered(name);
    });

    /** Adds a request header (one more value if it is there already). */
    public HttpExchange header(String name, String value) {
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    public HttpExchange parameter(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    /** Where the container mapped the request: the servlet path and the path info (may be null). */
    public HttpExchange path(String servletPath, String pathInfo) {
        this.servletPath = servletPath;
        this.pathInfo = pathInfo;
        return this;
    }

    public HttpExchange from(String remoteAddr) {
        this.remoteAddr = remoteAddr;
        return this;
    }

    /** The status answered; 200 if none was set. */
    public int status() {
        return status;
    }

    public String responseHeader(String name) {
        return responseHeaders.get(name);
    }

    public String body() {
        return body.toString(StandardCharsets.UTF_8);
    }

    /** The body, read as a JSON object (error answers are maps, whose fields come in no set order). */
    public JsonObject json() {
        try (JsonReader reader = Json.createReader(new StringReader(body()))) {
            return reader.readObject();
        }
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static Object unanswered(String method) {
        throw new UnsupportedOperationException("HttpExchange does not answer " + method + "; add it if the test needs it");
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(HttpExchange.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> switch (method.getName()) {
                    case "toString" -> type.getSimpleName() + " of an HttpExchange";
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> answer.answer(method.getName(), args == null ? new Object[0] : args);
                }));
    }
}

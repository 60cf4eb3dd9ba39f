package dev.switchboard.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The server under test, reached on loopback: Arquillian hands out a URL with the machine's address,
 * and tests only ever talk to 127.0.0.1.
 */
public final class Server {

    /** One browser, as the token issuer sees it: its cookie lets every test take any name again. */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .cookieHandler(new java.net.CookieManager())
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final URI base;

    private Server(URI base) {
        this.base = base;
    }

    /** A server this test started itself, at a loopback base URL ending in '/'. */
    public static Server at(URI loopbackBase) {
        return new Server(loopbackBase);
    }

    public static Server at(URL arquillianUrl) {
        try {
            URI u = arquillianUrl.toURI();
            String path = u.getPath().endsWith("/") ? u.getPath() : u.getPath() + "/";
            return new Server(new URI("http", null, "127.0.0.1", u.getPort(), path, null, null));
        } catch (Exception e) {
            throw new IllegalArgumentException(arquillianUrl.toString(), e);
        }
    }

    /** An http URL relative to the application, e.g. {@code echo.html}. */
    public URI http(String relative) {
        return base.resolve(relative);
    }

    /** A ws URL relative to the application, e.g. {@code ws/echo}. */
    public URI ws(String relative) {
        URI http = http(relative);
        return URI.create("ws" + http.toString().substring("http".length()));
    }

    public HttpResponse<String> get(String relative) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(http(relative)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String relative, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(http(relative)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String relative, String bearerToken) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(http(relative)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + bearerToken).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request with these headers ({@code name, value, name, value…}); a null body is a GET. */
    public HttpResponse<String> send(String relative, String json, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(http(relative)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        if (json != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request of the server API, with the test servers' API key. */
    public HttpResponse<String> api(String relative, String json, String... headers) throws IOException, InterruptedException {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Authorization";
        all[headers.length + 1] = "Bearer " + System.getProperty("switchboard.test.apiKey");
        return send(relative, json, all);
    }

    /** A server API request of any method ({@code PUT}, {@code DELETE}), with the test servers' API key and a JSON body or none. */
    public HttpResponse<String> apiCall(String method, String relative, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(http(relative)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + System.getProperty("switchboard.test.apiKey"))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A chat token for the user, from {@code POST /api/token}. */
    public String token(String user) throws IOException, InterruptedException {
        HttpResponse<String> response = post("api/token", "{\"username\":\"" + user + "\"}");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("No token for " + user + ": " + response.statusCode() + " " + response.body());
        }
        return Json.createReader(new StringReader(response.body())).readObject().getString("token");
    }

    /** The test probe's reading: thread count and registered connections. */
    public JsonObject probe() throws IOException, InterruptedException {
        HttpResponse<String> response = get("test-probe");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Probe answered " + response.statusCode());
        }
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** The probe's reading with a query, e.g. {@code ?bounds}. */
    public JsonObject probeWith(String query) throws IOException, InterruptedException {
        return Json.createReader(new StringReader(get("test-probe" + query).body())).readObject();
    }

    public String probeBody(String q) throws IOException, InterruptedException {
        return get(q).body();
    }

    public int probe(String field) throws IOException, InterruptedException {
        return probe().getInt(field);
    }

    /** Open connections of one user, as the server's registry counts them. */
    public int connectionsOf(String user) throws IOException, InterruptedException {
        String body = get("test-probe?user=" + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8)).body();
        return Json.createReader(new StringReader(body)).readObject().getInt("userConnections");
    }
}

package dev.switchboard.protocol;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Answers plain HTTP under {@code /ws/} with 426 Upgrade Required and a hint: every path there is a
 * WebSocket endpoint's (a feature that also answers HTTP on its path, as echo does, maps it exactly,
 * which wins over this pattern), so this servlet needs no list of features.
 */
@WebServlet("/ws/*")
public class UpgradeRequiredServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(426);
        response.setHeader("Upgrade", "websocket");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain; charset=UTF-8");
        byte[] body = ("426 Upgrade Required: " + request.getServletPath() + Objects.toString(request.getPathInfo(), "")
                + " is a WebSocket endpoint; connect to it with a WebSocket client (ws:// or wss://).\n")
                .getBytes(StandardCharsets.UTF_8);
        // Grizzly (Payara) drops the length of a response carrying Upgrade, so the body must end
        // with the connection; elsewhere the length says it.
        response.setHeader("Connection", "close");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}

package dev.switchboard.echo;

import dev.switchboard.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The plain-HTTP face of {@code /ws/echo}: {@code GET ?message=hi} answers {@code hi} as text;
 * without {@code message} it redirects to the echo page. WebSocket upgrades never reach it.
 */
@WebServlet("/ws/echo")
public class EchoHttpServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    SessionRegistry registry;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.setCharacterEncoding("UTF-8");
        String message = request.getParameter("message");
        if (message == null) {
            response.sendRedirect(request.getContextPath() + "/echo.html");
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        // The body is the caller's own text: never let a browser sniff it into HTML.
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType("text/plain; charset=UTF-8");
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        if (body.length > registry.maxMessageBytes()) {
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            response.getWriter().print("Message over " + registry.maxMessageBytes() + " bytes");
            return;
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}

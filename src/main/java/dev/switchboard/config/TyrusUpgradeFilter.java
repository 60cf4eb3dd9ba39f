package dev.switchboard.config;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * On Payara (Tyrus over the servlet API), makes Tyrus upgrade to {@link GuardedTyrusUpgradeHandler}.
 * Tyrus's own handler registers its read listener before its connection exists, and Payara calls the
 * listener at once, on the same thread, when a frame came in the same TCP segment as the handshake:
 * the listener then waits forever for the rest of {@code init}, and 32 such clients park every worker.
 * It also buffers whole frames before checking their size. Other servers have their own WebSocket
 * implementations, and their requests pass through untouched.
 */
@WebFilter(urlPatterns = "/ws/*", asyncSupported = true)
public class TyrusUpgradeFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final String TYRUS_HANDLER = "org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler";

    @Inject
    SwitchboardConfig config;

    @Inject
    ServerExecutors executors;

    private boolean onTyrus;
    private long maxMessageBytes;
    private long lingerMillis;

    @Override
    public void init() {
        maxMessageBytes = config.positiveInt(Setting.MESSAGE_MAX_BYTES);
        lingerMillis = config.duration(Setting.CLOSE_LINGER).toMillis();
        Object container = getServletContext().getAttribute(ServerContainer.class.getName());
        onTyrus = container != null && container.getClass().getName().startsWith("org.glassfish.tyrus.");
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!onTyrus) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws IOException, ServletException {
                if (TYRUS_HANDLER.equals(handlerClass.getName())) {
                    GuardedTyrusUpgradeHandler handler = super.upgrade(GuardedTyrusUpgradeHandler.class);
                    handler.configure(maxMessageBytes, lingerMillis,
                            (task, millis) -> executors.later(task, millis, TimeUnit.MILLISECONDS));
                    return handlerClass.cast(handler);
                }
                return super.upgrade(handlerClass);
            }
        }, response);
    }
}

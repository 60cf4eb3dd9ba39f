package dev.switchboard.config;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.Unmanaged;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds every endpoint instance through CDI, so {@code @Inject} works in endpoints on every server:
 * Payara and WildFly inject into endpoints by themselves, Tomcat with Weld for Servlet does not.
 */
public class CdiEndpointConfigurator extends ServerEndpointConfig.Configurator {

    /**
     * One injection target per endpoint class, built on first use: building it (annotated type,
     * injection points) for every handshake made connecting several times slower. This configurator
     * belongs to one deployment, so a redeployed application gets a new one.
     */
    private final Map<Class<?>, Unmanaged<?>> injectionTargets = new ConcurrentHashMap<>();

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        @SuppressWarnings("unchecked")
        Unmanaged<T> target = (Unmanaged<T>) injectionTargets.computeIfAbsent(endpointClass,
                type -> new Unmanaged<>(CDI.current().getBeanManager(), type));
        // Endpoints hold only application-scoped proxies, so there is nothing dependent to dispose of later.
        return target.newInstance().produce().inject().postConstruct().get();
    }
}

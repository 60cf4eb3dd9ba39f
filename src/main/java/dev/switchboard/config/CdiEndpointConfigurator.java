package dev.switchboard.config;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.Unmanaged;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Builds every endpoint instance through CDI, so {@code @Inject} works in endpoints on every server:
 * Payara and WildFly inject into endpoints by themselves, Tomcat with Weld for Servlet does not.
 */
public class CdiEndpointConfigurator extends ServerEndpointConfig.Configurator {

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        // Endpoints hold only application-scoped proxies, so there is nothing dependent to dispose of later.
        return new Unmanaged<>(CDI.current().getBeanManager(), endpointClass).newInstance()
                .produce().inject().postConstruct().get();
    }
}

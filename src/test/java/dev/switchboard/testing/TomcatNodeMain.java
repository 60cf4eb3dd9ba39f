package dev.switchboard.testing;

import java.io.File;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * One Switchboard node on embedded Tomcat in a JVM of its own, for the tests that run several nodes
 * ({@link ServerNode}): {@code TomcatNodeMain <war> <port> <work folder>}, settings as system properties.
 * Runs until the process is ended.
 */
public final class TomcatNodeMain {

    private TomcatNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String war = args[0];
        int port = Integer.parseInt(args[1]);
        File work = new File(args[2]);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(work.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        tomcat.getHost().setAppBase(new File(work, "apps").getAbsolutePath());
        tomcat.addWebapp("/switchboard", new File(war).getAbsolutePath());
        tomcat.start();
        System.out.println("Switchboard test node listening on 127.0.0.1:" + port);
        tomcat.getServer().await();
    }
}

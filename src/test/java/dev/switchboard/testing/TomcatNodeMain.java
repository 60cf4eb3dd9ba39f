package dev.switchboard.testing;

import java.io.File;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanFilter;
import org.apache.tomcat.util.scan.StandardJarScanner;

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
        File apps = new File(work, "apps");
        if (!apps.mkdirs() && !apps.isDirectory()) {
            throw new IllegalStateException("Cannot make " + apps);
        }
        tomcat.getHost().setAppBase(apps.getAbsolutePath()); // the WAR is unpacked there: classes load far faster
        Context app = tomcat.addWebapp("/switchboard", new File(war).getAbsolutePath());
        // No JSP here: scanning every JAR for tag libraries (the test JVM's class path and the WAR's) took
        // most of a minute per node.
        if (app.getJarScanner() instanceof StandardJarScanner scanner) {
            scanner.setScanClassPath(false);
            if (scanner.getJarScanFilter() instanceof StandardJarScanFilter filter) {
                filter.setDefaultTldScan(false);
            }
        }
        tomcat.start();
        System.out.println("Switchboard test node listening on 127.0.0.1:" + port);
        tomcat.getServer().await();
    }
}

package dev.switchboard.testing;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The one deployment every in-container test uses: the WAR Maven just built, plus the test probe. */
public final class Deployments {

    private Deployments() {
    }

    public static WebArchive switchboard() {
        String path = System.getProperty("switchboard.war", "target/switchboard.war");
        File war = new File(path);
        if (!war.isFile()) {
            throw new IllegalStateException("No WAR at " + war.getAbsolutePath() + "; run the tests with 'mvn verify'");
        }
        return ShrinkWrap.createFromZipFile(WebArchive.class, war).addClasses(ServerProbeServlet.class, ShortTokenServlet.class, Tokens.class);
    }
}

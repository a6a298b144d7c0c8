package io.rawmetrics.it;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.it.Jdks.Jdk;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code tomcat10}, started by a test in a {@code CATALINA_BASE} of its own on a free port,
 * with {@code catalina.sh run}: one host that deploys and undeploys what appears in its {@code
 * webapps} within a second, and an access log of each request's method, path and status.
 *
 * <p>Its server.xml has the {@code JreMemoryLeakPreventionListener} that Debian's has, but not the
 * {@code ThreadLocalLeakPreventionListener}: that one replaces the request threads after an
 * undeploy, which would hide a deployment that their thread-locals keep reachable.
 */
final class TomcatProcess implements AutoCloseable {

    static final Path CATALINA_HOME = Path.of(System.getProperty("rawmetrics.it.catalina-home", "/usr/share/tomcat10"));
    /** Tomcat's global web.xml (the default servlet), where Debian puts it. */
    private static final Path GLOBAL_WEB_XML = Path.of("/etc/tomcat10/web.xml");
    private static final Pattern LOADERS = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+org\\.apache\\.catalina\\.loader\\.ParallelWebappClassLoader\\s*$",
            Pattern.MULTILINE);

    private final Path base;
    private final Jdk jdk;
    private final int port;
    private final Process process;
    private final Path output;

    private TomcatProcess(Path base, Jdk jdk, int port, Process process, Path output) {
        this.base = base;
        this.jdk = jdk;
        this.port = port;
        this.process = process;
        this.output = output;
    }

    /** Starts Tomcat on {@code jdk}, its applications configured by {@code systemProperties} ({@code -Dkey=value}). */
    static TomcatProcess start(Path base, Jdk jdk, List<String> systemProperties) throws Exception {
        if (!Files.isExecutable(CATALINA_HOME.resolve("bin/catalina.sh"))) {
            throw new IllegalStateException("no Tomcat in " + CATALINA_HOME + ": install Debian's tomcat10 (apt-get install -y tomcat10),"
                    + " or name another with -Drawmetrics.it.catalina-home");
        }
        for (String dir : List.of("conf", "webapps", "logs", "temp", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        int port = InfluxdProcess.freePort();
        Files.writeString(base.resolve("conf/server.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <Server port="-1" shutdown="SHUTDOWN">
                  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener" />
                  <Service name="Catalina">
                    <Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000" />
                    <Engine name="Catalina" defaultHost="localhost" backgroundProcessorDelay="1">
                      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="true">
                        <Valve className="org.apache.catalina.valves.AccessLogValve" directory="logs" prefix="access"
                               suffix=".txt" rotatable="false" buffered="false" pattern="%%m %%U %%s" />
                      </Host>
                    </Engine>
                  </Service>
                </Server>
                """.formatted(port));
        Files.writeString(base.resolve("conf/logging.properties"), """
                handlers = java.util.logging.ConsoleHandler
                .handlers = java.util.logging.ConsoleHandler
                java.util.logging.ConsoleHandler.level = FINE
                java.util.logging.ConsoleHandler.formatter = org.apache.juli.OneLineFormatter
                java.util.logging.ConsoleHandler.encoding = UTF-8
                """);
        if (Files.exists(GLOBAL_WEB_XML)) {
            Files.copy(GLOBAL_WEB_XML, base.resolve("conf/web.xml"), StandardCopyOption.REPLACE_EXISTING);
        }
        Path output = base.resolve("logs/catalina.out");
        ProcessBuilder builder = new ProcessBuilder(CATALINA_HOME.resolve("bin/catalina.sh").toString(), "run")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("CATALINA_HOME", CATALINA_HOME.toString());
        builder.environment().put("CATALINA_BASE", base.toString());
        builder.environment().put("JAVA_HOME", jdk.home().toString());
        builder.environment().remove("JRE_HOME");
        builder.environment().put("CATALINA_OPTS", String.join(" ", systemProperties));
        TomcatProcess tomcat = new TomcatProcess(base, jdk, port, builder.start(), output);
        if (!Await.until(Duration.ofSeconds(60), () -> tomcat.output().contains("Server startup in"))) {
            String log = tomcat.output();
            tomcat.close();
            throw new IllegalStateException("Tomcat did not start within 60 s:\n" + log);
        }
        return tomcat;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Deploys {@code war} as {@code /name}, and waits until Tomcat says it has. */
    void deploy(Path war, String name) throws Exception {
        int deployedBefore = occurrences(output(), "Deployment of web application archive [" + war(name) + "] has finished");
        Path staged = base.resolve("temp").resolve(name + ".war");
        Files.copy(war, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, war(name), StandardCopyOption.ATOMIC_MOVE); // never a half-copied WAR in webapps
        if (!Await.until(Duration.ofSeconds(60), () -> occurrences(output(), "Deployment of web application archive ["
                + war(name) + "] has finished") > deployedBefore)) {
            throw new IllegalStateException("/" + name + " was not deployed within 60 s:\n" + output());
        }
    }

    /**
     * Undeploys {@code /name} and waits until Tomcat has stopped it: it deletes the unpacked
     * directory once the application's listeners have run.
     */
    void undeploy(String name) throws Exception {
        Files.delete(war(name));
        if (!Await.until(Duration.ofSeconds(60), () -> !Files.exists(base.resolve("webapps").resolve(name)))) {
            throw new IllegalStateException("/" + name + " was not undeployed within 60 s:\n" + output());
        }
    }

    private Path war(String name) {
        return base.resolve("webapps").resolve(name + ".war");
    }

    /** Requests in the access log with this method, path and status ({@code "GET /shop/orders 200"}). */
    long served(String methodPathStatus) throws IOException {
        Path log = base.resolve("logs/access.txt");
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(methodPathStatus::equals).count();
        }
    }

    /** Everything Tomcat and its applications printed so far. */
    String output() throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }

    /** The names of the JVM's live threads. */
    List<String> threads() throws Exception {
        String dump = jcmd("Thread.print");
        List<String> names = new ArrayList<>();
        Matcher thread = Pattern.compile("^\"([^\"]+)\"", Pattern.MULTILINE).matcher(dump);
        while (thread.find()) {
            names.add(thread.group(1));
        }
        return names;
    }

    /** Web application class loaders still in the heap after a full GC ({@code GC.class_histogram} collects first). */
    long webappClassLoaders() throws Exception {
        Matcher loaders = LOADERS.matcher(jcmd("GC.class_histogram"));
        return loaders.find() ? Long.parseLong(loaders.group(1)) : 0;
    }

    /** Writes the live heap to {@code file} (an hprof file, for a leak's GC-root path) and returns its absolute path. */
    Path heapDump(Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        jcmd("GC.heap_dump " + file.toAbsolutePath());
        return file.toAbsolutePath();
    }

    private String jcmd(String command) throws Exception {
        List<String> line = new ArrayList<>(List.of(jdk.home().resolve("bin/jcmd").toString(), Long.toString(process.pid())));
        line.addAll(List.of(command.split(" ")));
        Process jcmd = new ProcessBuilder(line)
                .redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    static int occurrences(String text, String of) {
        int count = 0;
        for (int at = text.indexOf(of); at >= 0; at = text.indexOf(of, at + of.length())) {
            count++;
        }
        return count;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

package io.rawmetrics.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code hostname} and {@code process} tag values, as the workshop's Python code computes
 * them: {@code socket.gethostname()} and {@code "%s:%s" % (hostname, os.getpid())}.
 */
public record HostIdentity(String hostname, String process) {

    public HostIdentity {
        LineProtocol.checkName("hostname tag value", hostname);
        LineProtocol.checkName("process tag value", process);
    }

    /** This JVM's host name and process id. */
    public static HostIdentity current() {
        String hostname = kernelHostname();
        return new HostIdentity(hostname, hostname + ":" + ProcessHandle.current().pid());
    }

    /**
     * The kernel's host name, like Python's {@code socket.gethostname()}: read from /proc where it
     * exists, because {@code InetAddress.getLocalHost()} may wait on a DNS look-up.
     */
    private static String kernelHostname() {
        Path kernel = Path.of("/proc/sys/kernel/hostname");
        try {
            if (Files.isReadable(kernel)) {
                String name = Files.readString(kernel, StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException e) {
            // fall through to the portable way
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}

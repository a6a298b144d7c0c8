package io.rawmetrics.internal;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * The {@code hostname} and {@code process} tag values, as the workshop's Python code computes
 * them: {@code socket.gethostname()} and {@code "%s:%s" % (hostname, os.getpid())}.
 */
public record HostIdentity(String hostname, String process) {

    public HostIdentity {
        PointNames.checkName("hostname tag value", hostname);
        PointNames.checkName("process tag value", process);
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
        // java.io, not java.nio.file: the JVM has loaded it already, where Files and its providers
        // cost a cold JVM 10 ms of class loading, on the thread that starts the recorder.
        File kernel = new File("/proc/sys/kernel/hostname");
        if (kernel.canRead()) {
            try (FileInputStream in = new FileInputStream(kernel)) {
                String name = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            } catch (IOException e) {
                // fall through to the portable way
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}

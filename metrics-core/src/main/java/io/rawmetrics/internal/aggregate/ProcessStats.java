package io.rawmetrics.internal.aggregate;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's CPU time and memory, as the workshop's {@code request-metrics} reports them. On
 * Linux, user and system CPU time are told apart by {@code /proc/self/stat} and memory read from
 * {@code /proc/self/status} ({@code VmRSS}, {@code VmHWM}); elsewhere only the total CPU time is
 * known (reported as user time) and memory is left out. Read by the writer thread once an interval.
 */
final class ProcessStats {

    private static final Path STAT = Path.of("/proc/self/stat");
    private static final Path STATUS = Path.of("/proc/self/status");

    private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final boolean proc = Files.isReadable(STAT) && Files.isReadable(STATUS);

    /** A reading: CPU nanoseconds in all and the kernel's user and system ticks; memory in bytes, -1 if unknown. */
    record Reading(long cpuNanos, long userTicks, long systemTicks, long rssBytes, long maxRssBytes) {
    }

    Reading read() {
        long cpu = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
        long user = -1;
        long system = -1;
        long rss = -1;
        long maxRss = -1;
        if (proc) {
            try {
                String stat = Files.readString(STAT);
                // Fields after the command name, which is in parentheses and may hold spaces.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                user = Long.parseLong(fields[11]);   // field 14, utime
                system = Long.parseLong(fields[12]); // field 15, stime
                for (String line : Files.readAllLines(STATUS)) {
                    if (line.startsWith("VmRSS:")) {
                        rss = kilobytes(line);
                    } else if (line.startsWith("VmHWM:")) {
                        maxRss = kilobytes(line);
                    }
                }
            } catch (IOException | RuntimeException e) {
                user = system = rss = maxRss = -1;
            }
        }
        return new Reading(cpu, user, system, rss, maxRss);
    }

    private static long kilobytes(String line) {
        String digits = line.substring(line.indexOf(':') + 1).replace("kB", "").strip();
        return Long.parseLong(digits) * 1024;
    }

    /**
     * CPU seconds per second between two readings, user and system: the JVM's nanosecond total
     * split in the proportion of the kernel's ticks (which are coarse, 10 ms), or all of it as
     * user time when the ticks are unknown or did not move.
     */
    static double[] cpuShares(Reading before, Reading after, long elapsedNanos) {
        if (before.cpuNanos < 0 || after.cpuNanos < 0 || elapsedNanos <= 0) {
            return null;
        }
        double cpu = Math.max(0, after.cpuNanos - before.cpuNanos) / (double) elapsedNanos;
        long user = after.userTicks - before.userTicks;
        long system = after.systemTicks - before.systemTicks;
        if (before.userTicks < 0 || after.userTicks < 0 || user < 0 || system < 0 || user + system == 0) {
            return new double[] {cpu, 0};
        }
        double userShare = user / (double) (user + system);
        return new double[] {cpu * userShare, cpu * (1 - userShare)};
    }
}

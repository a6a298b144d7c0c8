package io.rawmetrics.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * A private network namespace with its own loopback interface, so that commands run in it can use
 * ports 8000 and 8086 while the machine's own are taken (by the user's InfluxDB, say), and can
 * never reach a server the user runs. Made with util-linux's {@code unshare} (a user namespace
 * too, so it needs no root where the kernel allows unprivileged ones) and entered with
 * {@code nsenter}; a {@code sleep} process holds it open until {@link #close()}.
 */
final class PrivateNetwork implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    private final Process holder;

    private PrivateNetwork(Process holder) {
        this.holder = holder;
    }

    /** A new namespace, or why none could be made (no unshare, or the kernel refuses). */
    static Result open(Path scratch) throws IOException {
        Path output = Files.createTempFile(scratch, "netns", ".log");
        Process holder;
        try {
            holder = new ProcessBuilder("unshare", "--user", "--map-root-user", "--net",
                    "sh", "-c", "ip link set lo up && echo ready && exec sleep 86400")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            return new Result(Optional.empty(), "cannot run unshare: " + e.getMessage());
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            String said = Files.readString(output, StandardCharsets.UTF_8);
            if (said.contains("ready")) {
                return new Result(Optional.of(new PrivateNetwork(holder)), "");
            }
            if (!holder.isAlive() || System.nanoTime() > deadline) {
                holder.destroyForcibly();
                return new Result(Optional.empty(), "unshare --user --map-root-user --net failed: " + said.strip());
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // poll its output again, until the deadline
        }
    }

    /** A namespace, or the reason there is none. */
    record Result(Optional<PrivateNetwork> network, String whyNot) {
    }

    /** {@code command}, to be run inside the namespace. It is exec'ed, so signals reach it. */
    List<String> enter(List<String> command) {
        List<String> entered = new ArrayList<>(List.of("nsenter", "--target", String.valueOf(holder.pid()),
                "--user", "--net", "--preserve-credentials", "--"));
        entered.addAll(command);
        return entered;
    }

    @Override
    public void close() {
        holder.destroyForcibly();
    }
}

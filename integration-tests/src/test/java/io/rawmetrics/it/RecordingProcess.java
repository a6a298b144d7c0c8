package io.rawmetrics.it;

import io.rawmetrics.it.fixtures.MethodKinds;
import java.util.concurrent.locks.LockSupport;

/**
 * A separate JVM that times {@code MethodKinds.concurrentCall} as often as its first argument
 * says, configured by its -Drawmetrics.* properties. With "wait" as second argument it then
 * prints "recorded N" and waits for a signal; otherwise it exits, leaving the last points to the
 * shutdown hook.
 */
public final class RecordingProcess {

    private RecordingProcess() {
    }

    public static void main(String[] args) {
        int calls = Integer.parseInt(args[0]);
        for (int i = 0; i < calls; i++) {
            MethodKinds.concurrentCall(i);
        }
        System.out.println("recorded " + calls);
        System.out.flush();
        if (args.length > 1 && args[1].equals("wait")) {
            while (true) {
                LockSupport.park();
            }
        }
    }
}

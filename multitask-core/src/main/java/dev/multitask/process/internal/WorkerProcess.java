package dev.multitask.process.internal;

import dev.multitask.ipc.internal.Channel;
import dev.multitask.ipc.internal.Hub;
import dev.multitask.process.WorkerStartException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker JVM started by this process, and, once it has connected and authenticated, its
 * channel. It holds the write end of the worker's stdin for as long as it lives: when this
 * JVM dies the pipe closes and the worker halts (see {@link WorkerMain}).
 */
public final class WorkerProcess {
    private static final long CONNECT_TIMEOUT_S = Long.getLong("multitask.connectTimeoutSeconds", 120);

    private final Process process;
    private final OutputStream stdin;
    private final long id;
    private volatile Channel channel;

    private WorkerProcess(Process process, long id) {
        this.process = process;
        this.id = id;
        this.stdin = process.getOutputStream();
    }

    /**
     * Rounds of 1,000 shared-queue puts and takes and lock holds a spare runs before it
     * connects ({@code -Dmultitask.spareWarmup=N}, 0 for none): the first messages of a
     * child started from it then run compiled code rather than the interpreter's ~50 µs each.
     */
    private static final int SPARE_WARMUP_ROUNDS = Integer.getInteger("multitask.spareWarmup", 20);

    /** Starts a worker JVM; the future completes when it has connected and authenticated. */
    static CompletableFuture<WorkerProcess> launch(LaunchSpec spec) {
        return launch(spec, false);
    }

    /**
     * Starts a worker JVM; a {@code spare} first warms up the library's shared-memory paths
     * (see {@link WorkerMain}) before it connects, as it is started ahead of need.
     */
    static CompletableFuture<WorkerProcess> launch(LaunchSpec spec, boolean spare) {
        Hub hub = Hub.get();
        Hub.Ticket ticket = hub.register();
        List<String> cmd = command(spec);
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            ticket.connected().cancel(false);
            return CompletableFuture.failedFuture(new WorkerStartException("cannot start a worker JVM: " + cmd.get(0), e));
        }
        WorkerProcess w = new WorkerProcess(p, ticket.id());
        try {
            DataOutputStream out = new DataOutputStream(w.stdin);
            out.writeUTF(hub.socketPath().toString());
            out.writeLong(ticket.id());
            out.writeInt(ticket.token().length);
            out.write(ticket.token());
            out.writeUTF(spec.serializerClass());
            out.writeUTF(hub.shmDir().toString());
            out.writeUTF(mainClassName());
            out.writeInt(spare ? SPARE_WARMUP_ROUNDS : 0);
            out.flush();
        } catch (IOException e) {
            // the process died at once; onExit below reports it
        }
        p.onExit().thenAccept(x -> ticket.connected().completeExceptionally(new WorkerStartException(
                "worker JVM " + x.pid() + " exited with status " + x.exitValue()
                        + " before connecting; its error output (above) says why. Command: " + String.join(" ", cmd), null)));
        return ticket.connected()
                .orTimeout(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)
                .handle((c, e) -> {
                    if (e == null) {
                        w.channel = c;
                        return w;
                    }
                    p.destroyForcibly();
                    Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                    if (cause instanceof TimeoutException) {
                        throw new WorkerStartException("worker JVM " + p.pid() + " did not connect within "
                                + CONNECT_TIMEOUT_S + " s", cause);
                    }
                    throw cause instanceof RuntimeException r ? r : new WorkerStartException(String.valueOf(cause), cause);
                });
    }

    static List<String> command(LaunchSpec spec) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(baseOptions());
        if (spec.jvmOptions().stream().noneMatch(o -> o.startsWith("--"))) {
            // the AOT cache was trained without module options; a JVM started with others
            // (--add-opens, --add-modules, ...) would refuse it with an error line on stderr
            cmd.addAll(AotCache.options());
        }
        // the top of this process tree: segments whose tree is gone count as leaked
        cmd.add("-Dmultitask.rootPid=" + Long.getLong("multitask.rootPid", ProcessHandle.current().pid()));
        cmd.addAll(spec.jvmOptions());
        String cp = System.getProperty("java.class.path");
        if (cp != null && !cp.isEmpty()) {
            cmd.add("-cp");
            cmd.add(cp);
        }
        String mp = System.getProperty("jdk.module.path");
        if (mp != null && !mp.isEmpty()) {
            cmd.add("--module-path");
            cmd.add(mp);
            cmd.add("--add-modules");
            cmd.add("ALL-MODULE-PATH");
        }
        cmd.add(WorkerMain.class.getName());
        return cmd;
    }

    /** The main class of this JVM (which most task lambdas are declared in), or "". */
    static String mainClassName() {
        String cmd = System.getProperty("sun.java.command", "");
        String first = cmd.isBlank() ? "" : cmd.trim().split("\\s+")[0];
        return first.endsWith(".jar") || first.contains("/") ? "" : first;
    }

    /**
     * The options every worker JVM gets first: no hsperfdata file in /tmp (it would stay behind
     * after a SIGKILL), a small, fast-starting collector, since a worker runs one task at a
     * time, and native access for the futexes of shared locks. The user's options come later
     * and so win.
     */
    static List<String> baseOptions() {
        return System.getProperty("jdk.module.path") == null
                ? List.of("-XX:-UsePerfData", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED")
                : List.of("-XX:-UsePerfData", "-XX:+UseSerialGC", "--enable-native-access=dev.multitask");
    }

    public long pid() {
        return process.pid();
    }

    /** The file through which this side sends the worker its large arrays. */
    public java.nio.file.Path toWorkerBlobs() {
        return Hub.get().shmDir().resolve(id + ".p2w");
    }

    /** The file through which the worker sends its large arrays back. */
    public java.nio.file.Path fromWorkerBlobs() {
        return Hub.get().shmDir().resolve(id + ".w2p");
    }

    public Channel channel() {
        return channel;
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL. */
    public void kill() {
        process.destroyForcibly();
    }

    /** SIGTERM. */
    public void terminate() {
        process.destroy();
    }

    /** Waits up to {@code millis} for the process to exit; returns its status, or -1 if still running. */
    public int awaitExit(long millis) {
        try {
            if (process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    /** Releases this side's ends of the channel and pipe; the worker then exits by itself. */
    public void release() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
    }

}

package dev.multitask.pool;

import dev.multitask.function.SerializableCallable;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A task whose class exists only in this JVM: compiled at test time into {@code dir} and loaded
 * by a private class loader, so no worker or cluster member can load it. Close it to close the
 * loader.
 */
public final class GhostTask implements AutoCloseable {
    private final URLClassLoader loader;
    private final SerializableCallable<String> task;

    @SuppressWarnings("unchecked")
    public GhostTask(Path dir) throws Exception {
        Path src = dir.resolve("Ghost.java");
        Files.writeString(src, """
                public class Ghost implements dev.multitask.function.SerializableCallable<String> {
                    public String call() { return "boo"; }
                }
                """);
        int rc = java.util.spi.ToolProvider.findFirst("javac").orElseThrow().run(System.out, System.err,
                "-cp", System.getProperty("java.class.path"), "-d", dir.toString(), src.toString());
        if (rc != 0) {
            throw new IllegalStateException("javac failed on the ghost task (" + rc + ")");
        }
        loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, GhostTask.class.getClassLoader());
        task = (SerializableCallable<String>) loader.loadClass("Ghost").getConstructor().newInstance();
    }

    /** The task; its class is named {@code Ghost}. */
    public SerializableCallable<String> task() {
        return task;
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}

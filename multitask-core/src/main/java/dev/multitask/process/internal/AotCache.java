package dev.multitask.process.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JDK 25 ahead-of-time cache (JEP 483/514) for worker JVMs: classes of the worker's
 * code path (sockets, serialization, lambdas) come loaded and linked, which cuts a cold
 * worker's start-up.
 *
 * <p>The cache is built once per class path, automatically: the first time a worker is
 * needed and no cache exists, one background JVM runs {@link Training} with
 * {@code -XX:AOTCacheOutput} and exits; its cache is then moved into place atomically and
 * used by every later worker. The key covers the JDK, the class path and each entry's size
 * and modification time, so a rebuilt jar gets a new cache. Caches live in
 * {@code $XDG_CACHE_HOME/multitask/aot} (or {@code ~/.cache/multitask/aot}).
 *
 * <p>The JVM accepts such a cache only for a class path made of JAR files, so nothing is done
 * when it contains directories (as when running from an IDE or a Maven test run); nor with
 * {@code -Dmultitask.aot=false}.
 */
final class AotCache {
    private static final boolean ENABLED = !"false".equals(System.getProperty("multitask.aot"));
    private static final AtomicBoolean TRAINING = new AtomicBoolean();
    private static volatile Path cacheFile;
    private static volatile boolean resolved;

    private AotCache() {
    }

    /** Options for a worker JVM: the cache when it exists (training it in the background otherwise). */
    static List<String> options() {
        Path f = cacheFile();
        if (f == null) {
            return List.of();
        }
        if (Files.isRegularFile(f)) {
            markUsed(f);
            return List.of("-XX:AOTCache=" + f);
        }
        train(f);
        return List.of();
    }

    /**
     * Makes sure the cache for this class path exists, training it now if needed; waits at
     * most {@code timeoutMillis}. Returns false when there is no cache (class path with
     * directories, disabled, or not ready in time). For benchmarks, which must not measure
     * while a training run takes a core.
     */
    static boolean prepare(long timeoutMillis) throws InterruptedException {
        Path f = cacheFile();
        if (f == null) {
            return false;
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        options();
        Path marker = f.resolveSibling(f.getFileName() + ".training");
        while (!Files.isRegularFile(f) || Files.exists(marker)) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static volatile boolean marked;

    /** Once per process: the cache's modification time says when it was last used (see {@link #prune}). */
    private static void markUsed(Path f) {
        if (!marked) {
            marked = true;
            try {
                Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
            } catch (IOException e) {
                // only bookkeeping
            }
        }
    }

    /** How many caches (one per class path, ~16 MB each) are kept: the most recently used ones. */
    static final int KEEP = 8;

    /**
     * Deletes all but the {@code keep} most recently used caches in {@code dir}, and the
     * leftovers of training runs that were killed (older than an hour). Every rebuilt jar makes
     * a new cache, so without this the directory grows by 16 MB a build. A JVM already using a
     * deleted cache keeps its mapping; a worker started with it later runs without one.
     */
    static void prune(Path dir, int keep) {
        try (var files = Files.list(dir)) {
            List<Path> caches = new ArrayList<>();
            long hourAgo = System.currentTimeMillis() - 3_600_000;
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".aot")) {
                    caches.add(p);
                } else if (n.contains(".aot.") && n.contains(".tmp") && Files.getLastModifiedTime(p).toMillis() < hourAgo) {
                    Files.deleteIfExists(p);
                }
            }
            caches.sort(java.util.Comparator.comparingLong((Path p) -> {
                try {
                    return Files.getLastModifiedTime(p).toMillis();
                } catch (IOException e) {
                    return 0L;
                }
            }).reversed());
            for (Path p : caches.subList(Math.min(keep, caches.size()), caches.size())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // only housekeeping
        }
    }

    private static Path cacheFile() {
        if (!resolved) {
            cacheFile = ENABLED ? computeCacheFile() : null;
            resolved = true;
        }
        return cacheFile;
    }

    private static Path computeCacheFile() {
        String cp = System.getProperty("java.class.path", "");
        if (cp.isEmpty() || System.getProperty("jdk.module.path") != null) {
            return null;
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((System.getProperty("java.home") + "|" + Runtime.version() + "|" + WorkerProcess.baseOptions())
                    .getBytes(StandardCharsets.UTF_8));
            for (String entry : cp.split(File.pathSeparator)) {
                Path p = Path.of(entry).toAbsolutePath();
                if (Files.isDirectory(p)) {
                    return null; // the JVM refuses an AOT cache for a class path with directories
                }
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                md.update((p + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis() + ";")
                        .getBytes(StandardCharsets.UTF_8));
            }
            String key = HexFormat.of().formatHex(md.digest(), 0, 12);
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            return base.resolve("multitask").resolve("aot").resolve(key + ".aot");
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Starts the training run, unless one is already running (here or in another process).
     * A small shell owns it, so that it completes and installs the cache atomically even if
     * this process exits first; it runs niced, so as not to compete with real work.
     */
    private static void train(Path target) {
        if (!TRAINING.compareAndSet(false, true)) {
            return;
        }
        try {
            Files.createDirectories(target.getParent());
            Path marker = target.resolveSibling(target.getFileName() + ".training");
            try {
                if (Files.exists(marker)
                        && Files.getLastModifiedTime(marker).toMillis() < System.currentTimeMillis() - 300_000) {
                    Files.deleteIfExists(marker); // left by a run that was killed
                }
                Files.createFile(marker);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return; // another process is training this cache
            }
            prune(target.getParent(), KEEP - 1);
            Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c",
                    "tmp=$1; target=$2; marker=$3; shift 3; "
                            + "if nice -n 10 \"$@\" >/dev/null 2>&1 && [ -s \"$tmp\" ]; then mv -f \"$tmp\" \"$target\"; "
                            + "else rm -f \"$tmp\"; fi; rm -f \"$marker\"",
                    "sh", tmp.toString(), target.toString(), marker.toString(),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(WorkerProcess.baseOptions());
            cmd.add("-XX:AOTCacheOutput=" + tmp);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Training.class.getName());
            new ProcessBuilder(cmd)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            // only an optimisation: workers start without the cache
        }
    }
}

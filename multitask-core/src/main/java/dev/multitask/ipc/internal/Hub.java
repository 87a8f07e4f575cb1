package dev.multitask.ipc.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The one listening socket of this process, to which every worker process it starts
 * connects back.
 *
 * <p>Security: the socket lives in a fresh directory readable only by this user (0700). Each
 * worker is given, through its stdin pipe, an id and a 32-byte random token; its first
 * frame must carry both, and is compared in constant time before the connection is handed
 * to anyone. Nothing a peer sends before that is deserialized; a peer that fails is dropped.
 *
 * <p>Files: the directory is removed when this JVM exits normally; directories left by a
 * JVM that was killed are removed by the next hub created on this machine (their owner pid
 * is in the name).
 */
public final class Hub {
    public static final byte AUTH = 99;
    private static final String PREFIX = "multitask-";

    private static volatile Hub instance;

    private final Path dir;
    private final Path socketPath;
    private final Path shmDir;
    private final ServerSocketChannel server;
    private final java.io.InputStream urandom;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(byte[] token, CompletableFuture<Channel> connected) {
    }

    /** A registration: what to give the worker, and the future of its connection. */
    public record Ticket(long id, byte[] token, CompletableFuture<Channel> connected) {
    }

    private Hub() throws IOException {
        sweepStale();
        long pid = ProcessHandle.current().pid();
        dir = Files.createTempDirectory(PREFIX + pid + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        socketPath = dir.resolve("s");
        java.io.InputStream r;
        try {
            r = new java.io.FileInputStream("/dev/urandom");
        } catch (IOException e) {
            r = null;
        }
        urandom = r;
        Path shm = Path.of("/dev/shm");
        shmDir = Files.createTempDirectory(Files.isDirectory(shm) && Files.isWritable(shm) ? shm : dir, PREFIX + pid + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath));
        Runtime.getRuntime().addShutdownHook(new Thread(this::deleteFiles, "multitask-hub-cleanup"));
        Thread t = new Thread(this::acceptLoop, "multitask-hub");
        t.setDaemon(true);
        t.start();
    }

    public static Hub get() {
        Hub h = instance;
        if (h == null) {
            synchronized (Hub.class) {
                h = instance;
                if (h == null) {
                    try {
                        instance = h = new Hub();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot open the socket that worker processes connect to"
                                + " (in " + System.getProperty("java.io.tmpdir") + ")", e);
                    }
                }
            }
        }
        return h;
    }

    public Path socketPath() {
        return socketPath;
    }

    /** A private directory in shared memory (/dev/shm) for the files that carry large arrays. */
    public Path shmDir() {
        return shmDir;
    }

    /** Registers a worker about to be started. */
    public Ticket register() {
        long id = ids.incrementAndGet();
        byte[] token = randomToken();
        CompletableFuture<Channel> f = new CompletableFuture<>();
        pending.put(id, new Pending(token, f));
        f.whenComplete((c, e) -> pending.remove(id));
        return new Ticket(id, token, f);
    }

    /**
     * 32 bytes from the kernel's CSPRNG. Read directly: initialising {@link SecureRandom}'s
     * providers costs tens of milliseconds in a cold JVM, on the path of the first worker.
     */
    private byte[] randomToken() {
        byte[] token = new byte[32];
        try {
            synchronized (this) {
                if (urandom != null && urandom.readNBytes(token, 0, 32) == 32) {
                    return token;
                }
            }
        } catch (IOException e) {
            // fall back below
        }
        new SecureRandom().nextBytes(token);
        return token;
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofVirtual().name("multitask-hub-auth").start(() -> authenticate(s));
        }
    }

    private void authenticate(SocketChannel s) {
        Channel c;
        try {
            c = new Channel(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // dropping it anyway
            }
            return;
        }
        try {
            Channel.Frame f = c.receive(0);
            Pending p = f.type() == AUTH ? pending.get(f.id()) : null;
            if (p == null || !MessageDigest.isEqual(p.token(), f.payload())) {
                c.close();
                return;
            }
            if (!p.connected().complete(c)) {
                c.close();
            }
        } catch (IOException e) {
            c.close();
        }
    }

    private void deleteFiles() {
        try {
            server.close();
        } catch (IOException e) {
            // exiting
        }
        deleteTree(shmDir);
        deleteTree(dir);
    }

    /** Deletes a directory and everything in it; best effort. */
    public static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    /** Removes the files of multitask processes on this machine that are gone (run when a hub starts). */
    public static void sweepStale() {
        sweepStale(Path.of(System.getProperty("java.io.tmpdir")));
        sweepStale(Path.of("/dev/shm"));
    }

    /** Removes the directories of processes that are gone (killed before they could clean up). */
    private static void sweepStale(Path tmp) {
        if (!Files.isDirectory(tmp)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path p : ds) {
                String[] parts = p.getFileName().toString().split("-");
                if (parts.length < 3) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(parts[1]);
                    if (ProcessHandle.of(pid).isEmpty() && Files.isDirectory(p)) {
                        deleteTree(p);
                    }
                } catch (NumberFormatException e) {
                    // not ours
                }
            }
        } catch (IOException e) {
            // best effort
        }
    }
}

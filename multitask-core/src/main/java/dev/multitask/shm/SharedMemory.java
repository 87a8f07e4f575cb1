package dev.multitask.shm;

import dev.multitask.shm.SharedMemoryLayout.Kind;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A named block of memory shared by processes: Python's
 * {@code multiprocessing.shared_memory.SharedMemory}, as a file under {@code /dev/shm}
 * mapped with the FFM API.
 *
 * <pre>{@code
 * try (var shm = SharedMemory.create("frame", 1 << 20)) {       // this process owns it
 *     shm.segment().set(ValueLayout.JAVA_INT, 0, 42);
 *     new ChildProcess(() -> System.out.println(shm.segment().get(ValueLayout.JAVA_INT, 0))).start();
 *     ...
 *     shm.unlink();
 * }
 * }</pre>
 *
 * <p><b>Passing it to another process</b>: capture it in a task's lambda. It travels as its
 * name; the receiving process attaches to the same memory.
 *
 * <p><b>Ownership</b>: {@link #close()} unmaps this process's view (any later access throws
 * {@link IllegalStateException}, never touches unmapped memory); {@link #unlink()} removes the
 * name, and the memory goes when the last process has closed it. The creating process owns
 * the segment: if it exits without unlinking, the segment is unlinked at its exit with a
 * warning (as Python's resource tracker does). Segments leaked by a process tree that was
 * killed are removed by {@link #sweepLeaked()}, which every multitask process runs when it
 * first starts workers.
 *
 * <p><b>Safety</b>: attaching checks the header ({@link SharedMemoryLayout}): a missing name,
 * a file that is not a multitask segment, another kind (a {@link SharedLong} attached as an
 * array) or another format version is a clear exception. Files are readable only by their
 * owner (0600).
 *
 * <p>Thread-safety: the handle may be used from any thread. The memory itself has no
 * synchronization: use the atomic accessors of the typed classes, VarHandles on
 * {@link #segment()}, or a {@code SharedLock}.
 */
public final class SharedMemory implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Set<SharedMemory> OWNED = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private final String name;
    private final long size;
    private final boolean owner;
    private final transient Arena arena;
    private final transient MemorySegment data;
    private volatile boolean closed;
    private volatile boolean unlinked;

    private SharedMemory(String name, long size, boolean owner, Arena arena, MemorySegment data) {
        this.name = name;
        this.size = size;
        this.owner = owner;
        this.arena = arena;
        this.data = data;
    }

    /** Creates a segment of {@code size} bytes named {@code name}, zero-filled; this process owns it. */
    public static SharedMemory create(String name, long size) {
        return create(name, Kind.BYTES, size);
    }

    /** Creates a segment with a fresh unique name (see {@link #name()}). */
    public static SharedMemory create(long size) {
        return create(freshName(), Kind.BYTES, size);
    }

    /** Attaches to the raw segment named {@code name}. */
    public static SharedMemory attach(String name) {
        return attach(name, Kind.BYTES);
    }

    static String freshName() {
        return "mt-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** The directory segments live in: /dev/shm where it exists. */
    static Path directory() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    static long rootPid() {
        return Long.getLong("multitask.rootPid", ProcessHandle.current().pid());
    }

    /** Creates a segment of the given kind: for multitask's own typed objects (locks, values). */
    public static SharedMemory createTyped(String name, Kind kind, long size) {
        return create(name, kind, size);
    }

    /** Attaches to a segment that must be of the given kind: for multitask's own typed objects. */
    public static SharedMemory attachTyped(String name, Kind kind) {
        return attach(name, kind);
    }

    /** A fresh unique name, as {@link #create(long)} uses. */
    public static String uniqueName() {
        return freshName();
    }

    static SharedMemory create(String name, Kind kind, long size) {
        checkName(name);
        if (size <= 0) {
            throw new IllegalArgumentException("a shared memory segment needs a positive size, was " + size);
        }
        if (dev.multitask.shm.internal.InProcess.active()) {
            return createInProcess(name, kind, size);
        }
        Path dir = directory();
        Path target = dir.resolve(name);
        Path tmp = dir.resolve("." + name + "." + ProcessHandle.current().pid() + ".tmp");
        Arena arena = Arena.ofShared();
        try {
            MemorySegment whole;
            try (FileChannel ch = openNew(tmp)) {
                whole = mapNew(ch, kind, size, arena);
            }
            try {
                Files.createLink(target, tmp); // atomic, and never replaces an existing segment
            } catch (FileAlreadyExistsException e) {
                throw new IllegalStateException("a shared memory segment named '" + name + "' already exists in " + dir
                        + "; attach to it, or unlink it first", e);
            } finally {
                Files.deleteIfExists(tmp);
            }
            SharedMemory m = new SharedMemory(name, size, true,
                    arena, whole.asSlice(SharedMemoryLayout.HEADER_SIZE, size));
            own(m);
            return m;
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot create shared memory segment '" + name + "' in " + dir, e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Creates the file {@code path}, readable and writable by this user only. */
    private static FileChannel openNew(Path path) throws IOException {
        return FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /** Sizes the new file for the header and {@code size} bytes of data, maps it and writes the header. */
    private static MemorySegment mapNew(FileChannel ch, Kind kind, long size, Arena arena) throws IOException {
        long total = SharedMemoryLayout.HEADER_SIZE + size;
        ch.write(ByteBuffer.wrap(new byte[1]), total - 1);
        MemorySegment whole = ch.map(FileChannel.MapMode.READ_WRITE, 0, total, arena);
        SharedMemoryLayout.writeHeader(whole, kind, size, ProcessHandle.current().pid(), rootPid());
        return whole;
    }

    /**
     * A segment in this process's memory only (see {@link dev.multitask.shm.internal.InProcess}):
     * a file mapped as usual but removed as soon as it is open, so that the JIT compiles the
     * code using it for the same kind of segment as real shared objects.
     */
    private static SharedMemory createInProcess(String name, Kind kind, long size) {
        Path tmp = directory().resolve("." + name + "." + ProcessHandle.current().pid() + ".tmp");
        Arena arena = Arena.ofShared();
        try (FileChannel ch = openNew(tmp)) {
            Files.delete(tmp); // the open channel keeps the memory; nothing is left behind
            MemorySegment whole = mapNew(ch, kind, size, arena);
            return new SharedMemory(name, size, true, arena, whole.asSlice(SharedMemoryLayout.HEADER_SIZE, size));
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot create in-process segment '" + name + "'", e);
        }
    }

    static SharedMemory attach(String name, Kind expected) {
        checkName(name);
        Path path = directory().resolve(name);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long fileSize = ch.size();
            if (fileSize < SharedMemoryLayout.HEADER_SIZE) {
                throw new IllegalArgumentException("'" + name + "' in " + directory() + " is not a multitask shared memory segment");
            }
            MemorySegment whole = ch.map(FileChannel.MapMode.READ_WRITE, 0, fileSize, arena);
            if (whole.get(ValueLayout.JAVA_LONG, SharedMemoryLayout.MAGIC_OFFSET) != SharedMemoryLayout.MAGIC) {
                throw new IllegalArgumentException("'" + name + "' in " + directory() + " is not a multitask shared memory segment");
            }
            int version = whole.get(ValueLayout.JAVA_INT, SharedMemoryLayout.VERSION_OFFSET);
            if (version != SharedMemoryLayout.VERSION) {
                throw new IllegalArgumentException("shared memory '" + name + "' has format version " + version
                        + ", this library reads version " + SharedMemoryLayout.VERSION);
            }
            Kind kind = Kind.of(whole.get(ValueLayout.JAVA_INT, SharedMemoryLayout.KIND_OFFSET));
            if (kind != expected) {
                throw new IllegalArgumentException("shared memory '" + name + "' holds " + describe(kind)
                        + ", not " + describe(expected));
            }
            long size = whole.get(ValueLayout.JAVA_LONG, SharedMemoryLayout.SIZE_OFFSET);
            if (size <= 0 || SharedMemoryLayout.HEADER_SIZE + size > fileSize) {
                throw new IllegalArgumentException("shared memory '" + name + "' is damaged: it claims " + size
                        + " bytes of data in a file of " + fileSize);
            }
            return new SharedMemory(name, size, false, arena, whole.asSlice(SharedMemoryLayout.HEADER_SIZE, size));
        } catch (NoSuchFileException e) {
            arena.close();
            throw new IllegalArgumentException("no shared memory segment named '" + name + "' (in " + directory() + ")", e);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot attach to shared memory segment '" + name + "'", e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static String describe(Kind k) {
        return k == null ? "an unknown kind of data" : switch (k) {
            case BYTES -> "raw bytes (SharedMemory)";
            case LONG -> "a SharedLong";
            case DOUBLE -> "a SharedDouble";
            case LONG_ARRAY -> "a SharedLongArray";
            case INT_ARRAY -> "a SharedIntArray";
            case DOUBLE_ARRAY -> "a SharedDoubleArray";
            case LOCK -> "a lock";
            case QUEUE -> "a SharedQueue";
            case EVENT -> "a SharedEvent";
            case SEMAPHORE -> "a SharedSemaphore";
            case CONDITION -> "a SharedCondition";
            case BARRIER -> "a SharedBarrier";
            case BYTE_ARRAY -> "a SharedByteArray";
        };
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid shared memory name '" + name
                    + "': use 1 to 200 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static void own(SharedMemory m) {
        OWNED.add(m);
        if (!hookInstalled) {
            synchronized (OWNED) {
                if (!hookInstalled) {
                    Runtime.getRuntime().addShutdownHook(new Thread(SharedMemory::unlinkLeakedAtExit, "multitask-shm-cleanup"));
                    hookInstalled = true;
                }
            }
        }
    }

    private static void unlinkLeakedAtExit() {
        List<String> leaked = new ArrayList<>();
        for (SharedMemory m : OWNED) {
            if (!m.unlinked) {
                leaked.add(m.name);
                m.unlink();
            }
        }
        if (!leaked.isEmpty()) {
            System.err.println("multitask: " + leaked.size() + " shared memory segment(s) not unlinked by their creator,"
                    + " unlinked at exit: " + leaked + " (call unlink() when done with a segment)");
        }
    }

    /** The data: {@link #size()} bytes, valid until {@link #close()}. */
    public MemorySegment segment() {
        if (closed) {
            throw new IllegalStateException("shared memory '" + name + "' is closed in this process");
        }
        return data;
    }

    public String name() {
        return name;
    }

    /** The size of the data in bytes. */
    public long size() {
        return size;
    }

    /** Whether this handle created the segment (and so unlinks it at exit if nobody did). */
    public boolean isOwner() {
        return owner;
    }

    /** Unmaps this process's view. Idempotent; other processes are not affected. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    /** Removes the segment's name: no one can attach any more; the memory goes once every process has closed it. */
    public void unlink() {
        unlinked = true;
        OWNED.remove(this);
        try {
            Files.deleteIfExists(directory().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink shared memory '" + name + "'", e);
        }
    }

    /**
     * Removes the segments of process trees that are gone (killed before they could unlink):
     * those whose root process no longer exists. Returns how many were removed.
     */
    public static int sweepLeaked() {
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory())) {
            for (Path p : ds) {
                if (!Files.isRegularFile(p) || !Files.isWritable(p)) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                    if (ch.size() < SharedMemoryLayout.HEADER_SIZE) {
                        continue;
                    }
                    ByteBuffer h = ByteBuffer.allocate((int) SharedMemoryLayout.HEADER_SIZE).order(java.nio.ByteOrder.nativeOrder());
                    ch.read(h, 0);
                    if (h.getLong((int) SharedMemoryLayout.MAGIC_OFFSET) != SharedMemoryLayout.MAGIC) {
                        continue;
                    }
                    long root = h.getLong((int) SharedMemoryLayout.ROOT_OFFSET);
                    long creator = h.getLong((int) SharedMemoryLayout.CREATOR_OFFSET);
                    if (ProcessHandle.of(root).isEmpty() && ProcessHandle.of(creator).isEmpty() && Files.deleteIfExists(p)) {
                        removed++;
                    }
                } catch (IOException | SecurityException e) {
                    // not ours, or gone meanwhile
                }
            }
        } catch (IOException e) {
            // best effort
        }
        return removed;
    }

    /** Travels as its name; the receiving process attaches (see {@link SharedObjectRef}). */
    @Serial
    private Object writeReplace() {
        return new SharedObjectRef(SharedMemory.class.getName(), name);
    }

    @Override
    public String toString() {
        return "SharedMemory[" + name + ", " + size + " bytes" + (closed ? ", closed" : "") + "]";
    }
}

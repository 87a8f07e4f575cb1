package dev.multitask.ipc.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A memory-mapped file (under /dev/shm) through which one side of a connection passes the
 * large arrays of its messages to the other (see {@link Blobs}).
 *
 * <p>One writer, one reader, one message in flight: the writer copies a message's arrays
 * into the file from offset 0 just before sending it, and reuses the space for the next
 * message only after the peer has answered the previous one (a worker runs one task at a
 * time, and reads its arguments before answering). The file grows when a message needs more
 * room; the reader remaps when an offset lies beyond its mapping. Files are created 0600 in
 * a 0700 directory and deleted by the parent when the worker is gone.
 */
public final class BlobArena implements AutoCloseable {
    private final Path file;
    private final boolean writer;
    private FileChannel channel;
    private Arena arena;
    private MemorySegment mapped = MemorySegment.NULL;
    private long used;

    private BlobArena(Path file, boolean writer) {
        this.file = file;
        this.writer = writer;
    }

    public static BlobArena writer(Path file) {
        return new BlobArena(file, true);
    }

    public static BlobArena reader(Path file) {
        return new BlobArena(file, false);
    }

    public Path file() {
        return file;
    }

    /** Starts a new message: its arrays are written from offset 0. */
    public void reset() {
        used = 0;
    }

    /** Copies {@code a} into the file; returns its offset. */
    public long put(byte[] a) throws IOException {
        long off = (used + 63) & ~63L;
        ensureWritable(off + a.length);
        MemorySegment.copy(a, 0, mapped, ValueLayout.JAVA_BYTE, off, a.length);
        used = off + a.length;
        return off;
    }

    /** Copies {@code length} bytes at {@code offset} into a new array. */
    public byte[] get(long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IOException("corrupt message: blob at " + offset + " of " + length + " bytes");
        }
        if (offset + length > mapped.byteSize()) {
            remap(0);
            if (offset + length > mapped.byteSize()) {
                throw new IOException("corrupt message: blob at " + offset + "+" + length
                        + " beyond the shared file's " + mapped.byteSize() + " bytes");
            }
        }
        byte[] a = new byte[length];
        MemorySegment.copy(mapped, ValueLayout.JAVA_BYTE, offset, a, 0, length);
        return a;
    }

    private void ensureWritable(long size) throws IOException {
        if (size <= mapped.byteSize()) {
            return;
        }
        long newSize = Math.max(size, Math.max(1 << 20, mapped.byteSize() * 2));
        remap(newSize);
    }

    private void remap(long growTo) throws IOException {
        if (channel == null) {
            if (writer) {
                channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } else {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            }
        }
        if (growTo > channel.size()) {
            channel.write(ByteBuffer.wrap(new byte[1]), growTo - 1);
        }
        long size = channel.size();
        if (arena != null) {
            arena.close();
        }
        arena = Arena.ofShared();
        mapped = channel.map(writer ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, 0, size, arena);
    }

    @Override
    public void close() {
        try {
            if (arena != null) {
                arena.close();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing
        }
        arena = null;
        channel = null;
        mapped = MemorySegment.NULL;
    }

    /** Closes the mapping and deletes the file. */
    public void delete() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort; the directory goes when the parent exits
        }
    }
}

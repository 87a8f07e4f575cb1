package dev.multitask.shm;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;

/**
 * What every typed shared object has: its segment, a name, {@code close}, {@code unlink},
 * and travel to another process as its name (see {@link SharedMemory}).
 */
public abstract sealed class SharedValue implements AutoCloseable, Serializable
        permits SharedLong, SharedDouble, SharedLongArray, SharedIntArray, SharedDoubleArray, SharedByteArray {
    @Serial
    private static final long serialVersionUID = 1L;

    final transient SharedMemory memory;

    SharedValue(SharedMemory memory) {
        this.memory = memory;
    }

    final MemorySegment segment() {
        return memory.segment();
    }

    public final String name() {
        return memory.name();
    }

    /** Unmaps this process's view; later use throws {@link IllegalStateException}. */
    @Override
    public final void close() {
        memory.close();
    }

    /** Removes the name (see {@link SharedMemory#unlink()}). */
    public final void unlink() {
        memory.unlink();
    }

    @Serial
    final Object writeReplace() {
        return new SharedObjectRef(getClass().getName(), memory.name());
    }

    static long checkLength(long length, int elementSize) {
        if (length <= 0 || length > (Long.MAX_VALUE - SharedMemoryLayout.HEADER_SIZE) / elementSize) {
            throw new IllegalArgumentException("a shared array needs a positive length, was " + length);
        }
        return length * elementSize;
    }
}

package dev.multitask.shm;

import java.io.Serial;
import java.lang.foreign.MemorySegment;

/**
 * The typed values: a {@link SharedObject} whose data is read and written through VarHandles.
 */
public abstract sealed class SharedValue extends SharedObject
        permits SharedLong, SharedDouble, SharedLongArray, SharedIntArray, SharedDoubleArray, SharedByteArray {
    @Serial
    private static final long serialVersionUID = 1L;

    SharedValue(SharedMemory memory) {
        super(memory);
    }

    final MemorySegment segment() {
        return memory.segment();
    }

    static long checkLength(long length, int elementSize) {
        if (length <= 0 || length > (Long.MAX_VALUE - SharedMemoryLayout.HEADER_SIZE) / elementSize) {
            throw new IllegalArgumentException("a shared array needs a positive length, was " + length);
        }
        return length * elementSize;
    }
}

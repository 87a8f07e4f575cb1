package dev.multitask.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The format of every multitask shared-memory file (under {@code /dev/shm}): a 64-byte header,
 * then the data, which starts on a cache line.
 *
 * <pre>
 *  0       8        12       16               24              32              40         64
 *  +-------+--------+--------+----------------+---------------+---------------+----------+------ ...
 *  | magic | version| kind   | data size      | creator pid   | root pid      | reserved | data
 *  +-------+--------+--------+----------------+---------------+---------------+----------+------ ...
 * </pre>
 *
 * <ul>
 * <li>{@code magic} tells a multitask segment from any other file; {@code version} its format;
 *     {@code kind} what it holds (raw bytes, a long, an int array, a lock, ...), so that
 *     attaching with the wrong type fails clearly instead of misreading memory.
 * <li>{@code creator pid} is the process that created it; {@code root pid} the top of its
 *     process tree (the creator itself, or the parent of a worker). A segment whose root is
 *     gone was leaked by a killed tree and may be removed ({@link SharedMemory#sweepLeaked()}).
 * </ul>
 * The header is written before the file is given its final name, so no process ever sees a
 * half-written one.
 */
public final class SharedMemoryLayout {
    public static final long MAGIC = 0x4D54_5348_4D5F_0001L; // "MTSHM_" + 1
    public static final int VERSION = 1;
    public static final long MAGIC_OFFSET = 0;
    public static final long VERSION_OFFSET = 8;
    public static final long KIND_OFFSET = 12;
    public static final long SIZE_OFFSET = 16;
    public static final long CREATOR_OFFSET = 24;
    public static final long ROOT_OFFSET = 32;
    public static final long HEADER_SIZE = 64;

    /** What a segment holds. */
    public enum Kind {
        BYTES(1), LONG(2), DOUBLE(3), LONG_ARRAY(4), INT_ARRAY(5), DOUBLE_ARRAY(6), LOCK(7), QUEUE(8), EVENT(9), SEMAPHORE(10), CONDITION(11), BARRIER(12), BYTE_ARRAY(13);

        final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    private SharedMemoryLayout() {
    }

    static void writeHeader(MemorySegment s, Kind kind, long dataSize, long creator, long root) {
        s.set(ValueLayout.JAVA_INT, VERSION_OFFSET, VERSION);
        s.set(ValueLayout.JAVA_INT, KIND_OFFSET, kind.code);
        s.set(ValueLayout.JAVA_LONG, SIZE_OFFSET, dataSize);
        s.set(ValueLayout.JAVA_LONG, CREATOR_OFFSET, creator);
        s.set(ValueLayout.JAVA_LONG, ROOT_OFFSET, root);
        s.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
    }
}

package dev.multitask.sync;

/**
 * The data of a {@link SharedEvent} segment (after the {@link dev.multitask.shm.SharedMemoryLayout} header).
 *
 * <pre>
 *  0        4        8         12
 *  +--------+--------+---------+
 *  | flag   | seq    | waiters |     flag: 1 when set; seq: the futex word, bumped by set()
 *  +--------+--------+---------+
 * </pre>
 */
final class SharedEventLayout {
    static final long FLAG = 0;
    static final long SEQ = 4;
    static final long WAITERS = 8;
    static final long SIZE = 64;

    private SharedEventLayout() {
    }
}

package dev.multitask.sync;

/**
 * The data of a {@link SharedSemaphore} segment: its mutex, counter, and the table of permits held per process.
 *
 * <pre>
 *  0        64          68          72       76       80                           80 + 8*SLOTS
 *  +--------+-----------+-----------+--------+--------+------------------------------+
 *  | mutex  | available | max (0:   | seq    | waiters| slots: (pid, permits) * SLOTS |
 *  |        |           | unbounded)|        |        |                              |
 *  +--------+-----------+-----------+--------+--------+------------------------------+
 * </pre>
 */
final class SharedSemaphoreLayout {
    static final int SLOTS = 128;
    static final long AVAILABLE = 64;
    static final long MAX = 68;
    static final long SEQ = 72;
    static final long WAITERS = 76;
    static final long TABLE = 80;
    static final long SIZE = TABLE + 8L * SLOTS;

    private SharedSemaphoreLayout() {
    }
}

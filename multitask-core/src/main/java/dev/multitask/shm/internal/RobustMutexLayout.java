package dev.multitask.shm.internal;

/**
 * The first {@link #SIZE} bytes of the data of every segment that holds a {@link RobustMutex}
 * (locks, queues, semaphores, barriers).
 *
 * <pre>
 *  0          4                                   64
 *  +----------+-----------------------------------+
 *  | word     | reserved                          |
 *  +----------+-----------------------------------+
 *  word = 0 (free) | owner pid | WAITERS bit (someone may sleep on the futex)
 * </pre>
 *
 * The whole state is one 32-bit word, so that taking the lock, naming its owner and announcing
 * waiters are one atomic step; Linux pids fit in the low 30 bits.
 */
public final class RobustMutexLayout {
    public static final long WORD = 0;
    public static final int WAITERS = 1 << 30;
    public static final int PID_MASK = WAITERS - 1;
    public static final long SIZE = 64;

    private RobustMutexLayout() {
    }
}

package dev.multitask.sync;

/**
 * The data of a {@link SharedCondition} segment: its futex word, and which lock it is bound to.
 *
 * <pre>
 *  0      4         8           12           16
 *  +------+---------+-----------+------------+-----------------+
 *  | seq  | waiters | reentrant | name length| lock's name ... |   seq: the futex word, bumped by signals
 *  +------+---------+-----------+------------+-----------------+
 * </pre>
 */
final class SharedConditionLayout {
    static final long SEQ = 0;
    static final long WAITERS = 4;
    static final long REENTRANT = 8;
    static final long LOCK_NAME = 12;

    private SharedConditionLayout() {
    }
}

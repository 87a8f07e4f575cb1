package dev.multitask.sync;

/**
 * The data of a {@link SharedBarrier} segment.
 *
 * <pre>
 *  0        64       68      72          76       80        84                  88
 *  +--------+--------+-------+-----------+--------+---------+-------------------+
 *  | mutex  | parties| count | generation| broken | waiters | broken generation |
 *  +--------+--------+-------+-----------+--------+---------+-------------------+
 *  generation: the futex word, bumped when a round ends, tripped or broken; broken generation:
 *  the last round that ended broken, so that its waiters throw instead of returning
 * </pre>
 */
final class SharedBarrierLayout {
    static final long PARTIES = 64;
    static final long COUNT = 68;
    static final long GENERATION = 72;
    static final long BROKEN = 76;
    static final long WAITERS = 80;
    static final long BROKEN_GEN = 84;
    static final long SIZE = 128;

    private SharedBarrierLayout() {
    }
}

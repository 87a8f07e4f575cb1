package dev.multitask.shm.internal;

/**
 * While {@link #SEGMENTS} is bound to true on a thread, the shared objects it creates live in
 * this process's own memory instead of named files under /dev/shm (a file mapped and removed at
 * once, so the mapping is of the same kind): the same layouts, locks and futexes, but nothing
 * another process can attach to and nothing left behind if the process is halted. For the
 * library's warm-up and training runs, which exercise the code paths of shared objects nobody
 * else uses.
 */
public final class InProcess {
    public static final ScopedValue<Boolean> SEGMENTS = ScopedValue.newInstance();

    private InProcess() {
    }

    /** Whether the current thread creates in-process segments. */
    public static boolean active() {
        return SEGMENTS.orElse(false);
    }
}

package dev.multitask.async;

/** A task queued on an async primitive; {@code granted} is set (then the task woken) by whoever hands it what it waits for. */
final class Waiter {
    final Task<?> task;
    volatile boolean granted;

    Waiter(Task<?> task) {
        this.task = task;
    }

    boolean granted() {
        return granted;
    }

    void grant() {
        granted = true;
        task.wake();
    }

    /**
     * Waits until {@code w} is granted or the deadline passes (a cancellation or timeout is
     * thrown as usual). If the wait ends without the grant, {@code w} leaves {@code queue}
     * (guarded by {@code monitor}); a grant that arrived just as the wait ended is handed on
     * with {@code passOn}, so it is never lost.
     */
    static boolean awaitGrant(Waiter w, long deadline, Object monitor, java.util.Collection<Waiter> queue, Runnable passOn) {
        boolean got = false;
        try {
            got = w.task.parkUntil(w::granted, deadline);
            return got;
        } finally {
            if (!got) {
                synchronized (monitor) {
                    if (!w.granted) {
                        queue.remove(w);
                    }
                }
                if (w.granted) {
                    passOn.run();
                }
            }
        }
    }

    static long deadline(java.time.Duration timeout) {
        if (timeout == null) {
            return Long.MAX_VALUE;
        }
        Async.requireNonNegative(timeout, "timeout");
        return System.nanoTime() + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
    }
}

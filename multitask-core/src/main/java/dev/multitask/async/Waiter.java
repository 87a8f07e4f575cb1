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

    static long deadline(java.time.Duration timeout) {
        if (timeout == null) {
            return Long.MAX_VALUE;
        }
        Async.requireNonNegative(timeout, "timeout");
        return System.nanoTime() + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
    }
}

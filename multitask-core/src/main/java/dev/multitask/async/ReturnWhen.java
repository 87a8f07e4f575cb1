package dev.multitask.async;

/** When {@link Async#wait(java.util.Collection, ReturnWhen, java.time.Duration)} returns: asyncio's constants. */
public enum ReturnWhen {
    /** As soon as any task is done (or cancelled). */
    FIRST_COMPLETED,
    /** As soon as any task fails; if none fails, when all are done. */
    FIRST_EXCEPTION,
    /** When every task is done. */
    ALL_COMPLETED
}

/**
 * Synchronization across processes, robust to the death of a process using it:
 * {@link dev.multitask.sync.SharedLock} and {@link dev.multitask.sync.SharedRLock} (with an
 * owner-died signal), {@link dev.multitask.sync.SharedSemaphore}, {@link dev.multitask.sync.SharedEvent},
 * {@link dev.multitask.sync.SharedCondition} and {@link dev.multitask.sync.SharedBarrier}. Waiters
 * sleep in the kernel (futexes on shared memory).
 */
package dev.multitask.sync;

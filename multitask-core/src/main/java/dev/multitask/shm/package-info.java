/**
 * Named shared memory across processes: {@link dev.multitask.shm.SharedMemory} segments (Python's
 * {@code shared_memory.SharedMemory}) and typed values with atomic operations
 * ({@link dev.multitask.shm.SharedLong}, {@link dev.multitask.shm.SharedIntArray}, ...: Python's
 * {@code Value} and {@code Array}). Every segment has a checked header
 * ({@link dev.multitask.shm.SharedMemoryLayout}); capture any of these objects in a task and the
 * other process attaches to the same memory.
 */
package dev.multitask.shm;

/**
 * {@link dev.multitask.thread.ThreadPool}: the {@link dev.multitask.pool.Pool} contract on platform
 * or virtual threads of this JVM (Python's {@code multiprocessing.pool.ThreadPool}, without a GIL).
 */
package dev.multitask.thread;

/**
 * The {@link dev.multitask.pool.Pool} contract (Python's {@code multiprocessing.Pool}) and its
 * process implementation {@link dev.multitask.pool.ProcessPool}, the process-backed
 * {@link java.util.concurrent.ExecutorService} {@link dev.multitask.pool.ProcessPoolExecutor}, and
 * {@link dev.multitask.pool.AsyncResult}. A task either completes or fails with a precise
 * exception; nothing waits forever on a dead worker.
 */
package dev.multitask.pool;

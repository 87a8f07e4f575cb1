/**
 * asyncio for Java: an {@link dev.multitask.async.EventLoop event loop} whose
 * {@link dev.multitask.async.Task tasks} are virtual threads running ordinary blocking-style
 * code, with asyncio's vocabulary in {@link dev.multitask.async.Async} (run, sleep, createTask,
 * gather, wait, waitFor, asCompleted, shield, timeout, toThread, runInExecutor, streams),
 * {@link dev.multitask.async.TaskGroup}, the async queue, lock, semaphore, event, condition and
 * barrier, and {@link dev.multitask.async.ContextVar context variables}.
 */
package dev.multitask.async;

package dev.multitask.async;

import java.util.Set;

/**
 * What {@link Async#wait(java.util.Collection, ReturnWhen, java.time.Duration)} returns: the
 * tasks done and those still pending, each in the order given.
 */
public record WaitResult<T>(Set<Task<T>> done, Set<Task<T>> pending) {
}

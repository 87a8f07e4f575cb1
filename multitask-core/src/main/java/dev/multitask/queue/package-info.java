/**
 * Passing objects between processes: {@link dev.multitask.queue.SharedQueue}, a multi-producer,
 * multi-consumer {@link java.util.concurrent.BlockingQueue} with Python's {@code JoinableQueue}
 * behaviour, and {@link dev.multitask.queue.Pipe} with its two
 * {@link dev.multitask.queue.Pipe.Connection} ends.
 */
package dev.multitask.queue;

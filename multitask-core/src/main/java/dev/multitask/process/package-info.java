/**
 * Child processes: {@link dev.multitask.process.ChildProcess} (Python's {@code Process}) runs a
 * task in a separate JVM started from this JVM's {@code java} and class path, and the exceptions
 * that tell how a worker failed ({@link dev.multitask.process.WorkerDiedException},
 * {@link dev.multitask.process.TaskTimeoutException}, {@link dev.multitask.process.RemoteTaskException},
 * {@link dev.multitask.process.WorkerStartException}). No child outlives its parent.
 */
package dev.multitask.process;

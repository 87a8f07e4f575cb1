/**
 * multitask: Python's multiprocessing, threading and asyncio for Java.
 */
module dev.multitask {
    exports dev.multitask.function;
    exports dev.multitask.ipc;
    exports dev.multitask.process;
    exports dev.multitask.pool;
    exports dev.multitask.thread;
    exports dev.multitask.shm;
    exports dev.multitask.sync;
    exports dev.multitask.queue;
    exports dev.multitask.async;
}

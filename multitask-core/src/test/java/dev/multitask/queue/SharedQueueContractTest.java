package dev.multitask.queue;

import java.util.concurrent.BlockingQueue;

/** The BlockingQueue contract on a shared-memory queue. */
class SharedQueueContractTest extends BlockingQueueContract {
    @Override
    protected BlockingQueue<Integer> newQueue() {
        return SharedQueue.create();
    }

    @Override
    protected void dispose(BlockingQueue<Integer> queue) {
        ((SharedQueue<Integer>) queue).unlink();
    }
}
